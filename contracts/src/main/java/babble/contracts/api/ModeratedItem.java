package babble.contracts.api;

import java.util.UUID;

/** An item's moderation status; {@code postId} is the post a comment belongs to (a post's own id for a post). */
public record ModeratedItem(String kind, UUID id, UUID postId, UUID roomId, String status, String reason) {
}
