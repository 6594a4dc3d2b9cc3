package babble.contracts.api;

import java.util.List;

/** A room's own moderation rules: words that reject an item, words that hold it for the owner, or hold everything. */
public record ModerationRules(List<String> blockedWords, List<String> holdWords, Boolean holdAll) {
}
