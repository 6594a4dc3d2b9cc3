package babble.rooms.events;

import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import babble.contracts.events.DirectRoomOpened;
import babble.contracts.events.MemberInvited;
import babble.contracts.events.MemberJoined;
import babble.contracts.events.MemberLeft;
import babble.contracts.events.RoomCreated;
import babble.platform.outbox.Outbox;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** What the rooms service tells the others, written to its outbox inside the change's transaction. */
public final class RoomEvents {
    private final Outbox outbox;

    public RoomEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void created(Handle tx, RoomView room) {
        outbox.add(tx, RoomCreated.TYPE, room.id().toString(), new RoomCreated(room));
    }

    public void memberJoined(Handle tx, UUID roomId, UserView user, long version, long userVersion) {
        outbox.add(tx, MemberJoined.TYPE, roomId.toString(), new MemberJoined(roomId, user, version, userVersion));
    }

    public void invited(Handle tx, RoomView room, UUID userId, UserView by) {
        outbox.add(tx, MemberInvited.TYPE, room.id().toString(), new MemberInvited(room.id(), room.name(), userId, by));
    }

    public void directOpened(Handle tx, RoomView room, UUID userId, UserView by) {
        outbox.add(tx, DirectRoomOpened.TYPE, room.id().toString(), new DirectRoomOpened(room, userId, by));
    }

    public void memberLeft(Handle tx, UUID roomId, UUID userId, long version, long userVersion) {
        outbox.add(tx, MemberLeft.TYPE, roomId.toString(), new MemberLeft(roomId, userId, version, userVersion));
    }
}
