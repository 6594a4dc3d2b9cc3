package babble.contracts.api;

import java.util.List;

/** {@code GET /rooms/{id}/messages}: ascending by seq. */
public record MessageList(List<MessageView> messages) {
}
