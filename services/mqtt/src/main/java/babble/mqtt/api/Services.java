package babble.mqtt.api;

import babble.contracts.internal.MessageBatch;
import babble.contracts.internal.MessageBatchResult;
import babble.contracts.internal.Replay;
import babble.contracts.internal.RoomAccess;
import babble.contracts.internal.TokenCheck;
import babble.contracts.internal.UserMembershipVersion;
import babble.contracts.internal.VerifiedSession;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import java.util.List;
import java.util.UUID;

/** What the bridge asks of the users, rooms and messages services. */
public final class Services {
    private static final Identity SELF = Identity.ofService("mqtt");

    private final ServiceClient users;
    private final ServiceClient rooms;
    private final ServiceClient messages;

    public Services(ServiceClient users, ServiceClient rooms, ServiceClient messages) {
        this.users = users;
        this.rooms = rooms;
        this.messages = messages;
    }

    /** Who the token belongs to; 401 when it is no live session. */
    public VerifiedSession verify(String token) {
        return users.post("/internal/sessions/verify", SELF, new TokenCheck(token), VerifiedSession.class);
    }

    /** Whether the user is a member and owner of the room, read now; 404 when there is no such room. */
    public RoomAccess access(UUID roomId, UUID userId) {
        return rooms.get("/internal/rooms/" + roomId + "/access/" + userId, SELF, RoomAccess.class);
    }

    /** The user's latest membership change, so the messages service checks membership as of it. */
    public long membershipVersion(UUID userId) {
        return rooms.get("/internal/members/" + userId + "/version", SELF, UserMembershipVersion.class).version();
    }

    /** The messages after {@code seq}, when no more than {@code max} (else {@code complete} is false). */
    public Replay replay(UUID roomId, long after, int max) {
        return messages.get("/internal/rooms/" + roomId + "/replay?after=" + after + "&max=" + max, SELF, Replay.class);
    }

    /**
     * Posts for several users, written in this order; one outcome each. Safe to repeat: every post carries its
     * Idempotency-Key, so a repeat answers the first messages instead of posting again.
     */
    public List<MessageBatchResult.Outcome> post(UUID roomId, List<MessageBatch.Post> posts) {
        var request = ServiceRequest.post("/internal/rooms/" + roomId + "/messages", SELF, new MessageBatch(posts));
        return messages.send(request.idempotent()).as(MessageBatchResult.class).results();
    }
}
