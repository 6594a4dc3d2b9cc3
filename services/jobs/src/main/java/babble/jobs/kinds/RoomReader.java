package babble.jobs.kinds;

import babble.contracts.api.MessageList;
import babble.contracts.api.RoomView;
import babble.contracts.internal.Replay;
import babble.contracts.internal.RoomAccess;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import java.util.UUID;

/** What an export reads from the rooms and messages services, as the job's owner where it matters. */
public final class RoomReader {
    public static final int PAGE = 200; // the messages service's largest page

    private final ServiceClient rooms;
    private final ServiceClient messages;

    public RoomReader(ServiceClient rooms, ServiceClient messages) {
        this.rooms = rooms;
        this.messages = messages;
    }

    /** Whether the user is a member (read now); 404 when the room does not exist. */
    public RoomAccess access(UUID roomId, UUID userId) {
        return rooms.get("/internal/rooms/" + roomId + "/access/" + userId, Identity.ofService("jobs"), RoomAccess.class);
    }

    public RoomView room(UUID roomId, Identity owner) {
        return rooms.get("/api/v1/rooms/" + roomId, owner, RoomView.class);
    }

    /** The room's last seq now: an export goes up to it. */
    public long lastSeq(UUID roomId) {
        return messages.get("/internal/rooms/" + roomId + "/replay?after=0&max=1", Identity.ofService("jobs"), Replay.class)
                .lastSeq();
    }

    /** The next page after {@code seq}, read as the owner (the messages service checks they are a member). */
    public MessageList after(UUID roomId, long seq, Identity owner) {
        return messages.get("/api/v1/rooms/" + roomId + "/messages?after=" + seq + "&limit=" + PAGE, owner, MessageList.class);
    }
}
