package babble.contracts.events;

import java.util.List;
import java.util.UUID;

/**
 * A user's topic preferences are now {@code follow} and {@code mute} (the whole set). {@code version} grows with
 * every change of the user's preferences, so a consumer keeps the newest. Key: the user id.
 */
public record TopicsChanged(UUID userId, List<String> follow, List<String> mute, long version) {
    public static final String TYPE = "tags.topics-changed";
}
