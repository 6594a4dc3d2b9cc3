package babble.contracts.internal;

import java.util.UUID;

/**
 * rooms → posts and moderation, {@code GET /internal/rooms/{id}/access/{userId}}: whether the user is a member of
 * the room and whether they own it (created it), read now; 404 when the room does not exist.
 */
public record RoomAccess(UUID roomId, UUID userId, boolean member, boolean owner) {
}
