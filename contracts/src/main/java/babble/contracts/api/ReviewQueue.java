package babble.contracts.api;

import java.util.List;

/** {@code GET /rooms/{id}/moderation/queue}: held items, oldest first. */
public record ReviewQueue(List<ReviewItem> items, String next) {
}
