package babble.contracts.internal;

import babble.contracts.api.RoomView;
import java.util.List;

/** rooms → gateway {@code GET /internal/members/{userId}/rooms}: every room a user is in. */
public record UserRooms(List<RoomView> rooms) {
}
