package babble.contracts.api;

/** {@code POST /rooms}: {@code visibility} {@code public} (the default) or {@code private}. */
public record CreateRoomRequest(String name, String topic, String visibility) {
}
