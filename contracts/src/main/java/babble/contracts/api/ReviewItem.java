package babble.contracts.api;

import java.time.Instant;
import java.util.UUID;

/** An item held for the room owner's review; {@code text} is a post's title and body, or a comment's text. */
public record ReviewItem(String kind, UUID id, UUID postId, UserView author, String text, String reason,
                         Instant createdAt) {
}
