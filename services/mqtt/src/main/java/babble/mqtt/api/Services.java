package babble.mqtt.api;

import babble.contracts.api.MessageView;
import babble.contracts.api.PostMessageRequest;
import babble.contracts.internal.Replay;
import babble.contracts.internal.RoomAccess;
import babble.contracts.internal.TokenCheck;
import babble.contracts.internal.UserMembershipVersion;
import babble.contracts.internal.VerifiedSession;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
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

    /** Posts as the user; a repeat with the same key answers the first message instead of posting again. */
    public MessageView post(UUID roomId, Identity as, String text, String idempotencyKey) {
        var request = ServiceRequest.post("/api/v1/rooms/" + roomId + "/messages", as, new PostMessageRequest(text))
                .withHeader("Idempotency-Key", idempotencyKey);
        return messages.send(request.idempotent()).as(MessageView.class);
    }
}
