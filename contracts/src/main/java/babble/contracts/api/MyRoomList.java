package babble.contracts.api;

import java.util.List;

/** {@code GET /users/me/rooms}. */
public record MyRoomList(List<MyRoomView> rooms) {
}
