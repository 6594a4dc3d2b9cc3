package babble.recommend.domain;

import babble.contracts.api.Tags;
import babble.platform.problem.InvalidField;
import java.util.Optional;

/** Tags asked for by a reader, checked by the contract's rule ({@link Tags}). */
public final class TagRule {
    private TagRule() {
    }

    /** A tag asked for, trimmed and lower-cased; 422 on {@code field} when it breaks the rule. */
    public static String tag(String field, String raw) {
        return normalised(raw).orElseThrow(() -> new InvalidField(field, "each tag is " + Tags.RULE));
    }

    /** A tag from an event, trimmed and lower-cased; empty when it breaks the rule (no listing could name it). */
    public static Optional<String> normalised(String raw) {
        return Tags.normalised(raw);
    }
}
