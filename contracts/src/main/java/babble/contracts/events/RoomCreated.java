package babble.contracts.events;

import babble.contracts.api.RoomView;

/** A room exists. Key: the room id. */
public record RoomCreated(RoomView room) {
    public static final String TYPE = "room.created";
}
