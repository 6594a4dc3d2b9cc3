package babble.contracts.internal;

import java.time.Instant;
import java.util.List;

/**
 * One post of an import (seed 004's reddit data): {@code key} makes it once per room (the reddit {@code name}),
 * {@code authorName} is shown as the author's display name ("u/name"), {@code score} is where votes start.
 */
public record ImportedPost(String key, String title, String body, String url, List<String> tags, long score,
                           Instant createdAt, String authorName) {
}
