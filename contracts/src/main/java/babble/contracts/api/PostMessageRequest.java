package babble.contracts.api;

/** {@code POST /rooms/{id}/messages}. */
public record PostMessageRequest(String text) {
}
