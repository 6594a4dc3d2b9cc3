package babble.contracts.internal;

import java.util.List;
import java.util.UUID;

/**
 * mqtt → messages {@code POST /internal/rooms/{id}/messages}: posts by users a service relays (devices), written
 * in this order, as one group-commit batch. Each post is checked as the user's own would be (text, key,
 * membership as of {@code membershipVersion}).
 */
public record MessageBatch(List<Post> posts) {
    public record Post(UUID userId, String username, String displayName, long membershipVersion, String text,
                       String idempotencyKey) {
    }
}
