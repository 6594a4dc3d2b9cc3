package babble.bot.api;

import babble.bot.domain.Chat;
import babble.contracts.api.PostMessageRequest;
import babble.contracts.api.UserView;
import babble.contracts.internal.Membership;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot as a chat user: created once in the users service (a system user that cannot sign in), joins a
 * room the first time it answers there, and posts through the messages service like any member.
 */
public final class ChatClient implements Chat {
    private static final Logger log = LoggerFactory.getLogger(ChatClient.class);

    private final ServiceClient users;
    private final ServiceClient rooms;
    private final ServiceClient messages;
    private final String username;
    private final String displayName;
    private final Set<UUID> joined = ConcurrentHashMap.newKeySet();
    private volatile Identity identity;

    public ChatClient(ServiceClient users, ServiceClient rooms, ServiceClient messages, String username, String displayName) {
        this.users = users;
        this.rooms = rooms;
        this.messages = messages;
        this.username = username;
        this.displayName = displayName;
    }

    /** The bot user, created on first use; null (and logged) while the users service cannot be reached. */
    public Identity identityOrNull() {
        try {
            return identity();
        } catch (RuntimeException e) {
            log.warn("the bot user cannot be set up yet (will retry on the first command): {}", e.getMessage());
            return null;
        }
    }

    private Identity identity() {
        Identity known = identity;
        if (known == null) {
            UserView user = users.put("/internal/system-users/" + username, Identity.ofService("bot"),
                    Map.of("displayName", displayName), UserView.class);
            known = Identity.ofUser("bot", user.id(), user.username(), user.displayName());
            identity = known;
        }
        return known;
    }

    @Override
    public UUID botUserId() {
        return identity().userId();
    }

    @Override
    public void reply(UUID roomId, String text, String idempotencyKey) {
        if (joined.add(roomId) && !join(roomId)) {
            joined.remove(roomId);
            return;
        }
        var response = messages.send(post(roomId, text, idempotencyKey));
        if (response.status() == 403) {
            // Membership was lost since (someone re-created state, or the bot left): join again, then post.
            if (!join(roomId)) {
                return;
            }
            response = messages.send(post(roomId, text, idempotencyKey));
        }
        if (response.status() == 409) {
            return; // this trigger was already answered with a different text (quotes were down, then up)
        }
        response.requireSuccess();
    }

    /**
     * Joins, and carries the membership version the join answers, so the next post is judged with it. False for a
     * private room the bot was not invited into (404): it does not answer there.
     */
    private boolean join(UUID roomId) {
        var answer = rooms.send(ServiceRequest.put("/api/v1/rooms/" + roomId + "/members/me", identity(), null));
        if (answer.status() == 404) {
            log.info("not answering in room {}: a private room the bot was not invited into", roomId);
            return false;
        }
        answer.requireSuccess().headers().firstValueAsLong(Membership.VERSION_HEADER)
                .ifPresent(this::raiseMembershipVersion);
        return true;
    }

    private synchronized void raiseMembershipVersion(long version) {
        identity = identity().withMembershipVersion(version); // never lowers it, whichever join answers last
    }

    private ServiceRequest post(UUID roomId, String text, String idempotencyKey) {
        return ServiceRequest.post("/api/v1/rooms/" + roomId + "/messages", identity(), new PostMessageRequest(text))
                .withHeader("Idempotency-Key", idempotencyKey)
                .idempotent();
    }
}
