package babble.contracts.api;

import java.util.List;

/** {@code GET /rooms}: one page, and the cursor of the next (null on the last page). */
public record RoomPage(List<RoomView> rooms, String next) {
}
