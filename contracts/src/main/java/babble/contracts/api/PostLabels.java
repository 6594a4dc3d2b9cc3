package babble.contracts.api;

import java.util.List;
import java.util.UUID;

/** The caller's private labels on a post. */
public record PostLabels(UUID postId, List<String> labels) {
}
