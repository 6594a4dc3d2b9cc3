package babble.contracts.events;

import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import java.util.UUID;

/**
 * A user opened a direct room with another for the first time (the gateways tell the other user's sockets, whose
 * list of rooms gains it). Key: the room id.
 */
public record DirectRoomOpened(RoomView room, UUID userId, UserView by) {
    public static final String TYPE = "room.direct-opened";
}
