package babble.contracts.api;

/** {@code PATCH /rooms/{id}/messages/{seq}}: the message's new text. */
public record EditMessageRequest(String text) {
}
