package babble.contracts.api;

import java.util.List;

/** A user's topic preferences: tags whose posts they want in their feed, and tags whose posts they never want. */
public record TopicPreferences(List<String> follow, List<String> mute) {
}
