package babble.contracts.api;

import java.time.Instant;
import java.util.UUID;

/** A comment on a post, a reply when {@code parentId} names another comment; moderated like posts. */
public record CommentView(UUID id, UUID postId, UUID roomId, UUID parentId, UserView author, String text, String status,
                          String reason, Instant createdAt) {
}
