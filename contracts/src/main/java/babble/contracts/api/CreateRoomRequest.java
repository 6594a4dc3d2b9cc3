package babble.contracts.api;

/** {@code POST /rooms}. */
public record CreateRoomRequest(String name, String topic) {
}
