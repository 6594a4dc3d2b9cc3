package babble.gateway.domain;

import babble.contracts.api.MyRoomList;
import babble.contracts.api.MyRoomView;
import babble.contracts.api.RoomView;
import babble.contracts.internal.ReadStateQuery;
import babble.contracts.internal.ReadStates;
import babble.contracts.internal.UserRooms;
import babble.platform.client.ServiceClient;
import java.util.List;

/**
 * {@code GET /users/me/rooms}: the caller's rooms (from rooms) joined with their unread counts (from messages),
 * in two calls whatever the number of rooms.
 */
public final class MyRooms {
    private final ServiceClient rooms;
    private final ServiceClient messages;

    public MyRooms(ServiceClient rooms, ServiceClient messages) {
        this.rooms = rooms;
        this.messages = messages;
    }

    public MyRoomList of(Caller caller) {
        var identity = caller.identity();
        List<RoomView> mine = rooms.get("/internal/members/" + caller.user().id() + "/rooms", identity, UserRooms.class)
                .rooms();
        if (mine.isEmpty()) {
            return new MyRoomList(List.of());
        }
        ReadStates states = messages.post("/internal/read-states", identity,
                new ReadStateQuery(mine.stream().map(RoomView::id).toList()), ReadStates.class);
        return new MyRoomList(mine.stream().map(room -> {
            var state = states.rooms().getOrDefault(room.id(), ReadStates.ReadState.NONE);
            long read = Math.min(state.lastReadSeq(), state.lastSeq());
            return new MyRoomView(room.id(), room.name(), room.topic(), room.createdBy(), room.createdAt(),
                    room.memberCount(), state.lastSeq(), read, state.lastSeq() - read,
                    state.lastChange(), state.mentions(), room.visibility(), room.direct());
        }).toList());
    }
}
