package babble.contracts.api;

import java.time.Instant;
import java.util.UUID;

/** A chat message; {@code seq} numbers a room's messages 1, 2, 3... with no gaps. */
public record MessageView(UUID id, UUID roomId, long seq, UUID userId, String username, String text,
                          Instant createdAt) {
}
