package babble.recommend.domain;

import java.util.List;
import java.util.UUID;

/**
 * What a reader's feed is made of: the topics they follow and mute, the people they follow and the rooms they are
 * in (each of the last two bounded to the newest {@link #MAX_SOURCES}, so a feed is always a bounded read).
 */
public record Interests(List<String> followedTopics, List<String> mutedTopics, List<UUID> people, List<UUID> rooms) {
    public static final int MAX_SOURCES = 200;
}
