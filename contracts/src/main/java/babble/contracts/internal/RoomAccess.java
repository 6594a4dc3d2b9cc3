package babble.contracts.internal;

import java.util.UUID;

/**
 * rooms → posts, moderation, jobs and mqtt, {@code GET /internal/rooms/{id}/access/{userId}}: whether the user is a
 * member of the room and whether they own it (created it), read now, and whether the room is private (posts and
 * the MQTT bridge, which would let others read it, are for public rooms); 404 when the room does not exist.
 */
public record RoomAccess(UUID roomId, UUID userId, boolean member, boolean owner, boolean privateRoom) {
}
