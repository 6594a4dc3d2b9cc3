package babble.contracts.api;

import java.time.Instant;
import java.util.UUID;

/** A room the caller is in, with where they have read up to: {@code GET /users/me/rooms}. */
public record MyRoomView(UUID id, String name, String topic, UUID createdBy, Instant createdAt, int memberCount,
                         long lastSeq, long lastReadSeq, long unread) {

}
