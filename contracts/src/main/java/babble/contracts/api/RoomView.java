package babble.contracts.api;

import java.time.Instant;
import java.util.UUID;

/** A room: {@code POST /rooms}, {@code GET /rooms/{id}}. */
public record RoomView(UUID id, String name, String topic, UUID createdBy, Instant createdAt, int memberCount) {
}
