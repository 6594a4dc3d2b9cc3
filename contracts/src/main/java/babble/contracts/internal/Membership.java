package babble.contracts.internal;

import java.util.UUID;

/** rooms → messages {@code GET /internal/rooms/{id}/members/{userId}}: the answer to a projection miss. */
public record Membership(UUID roomId, UUID userId, boolean member, long version) {
}
