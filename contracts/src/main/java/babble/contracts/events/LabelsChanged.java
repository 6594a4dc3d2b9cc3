package babble.contracts.events;

import java.util.List;
import java.util.UUID;

/**
 * A user's private labels on a post are now {@code labels} (empty: none). {@code version} grows with every change
 * of the user's labels on that post. Only the user's own sockets are told. Key: the user id.
 */
public record LabelsChanged(UUID userId, UUID postId, List<String> labels, long version) {
    public static final String TYPE = "tags.labels-changed";
}
