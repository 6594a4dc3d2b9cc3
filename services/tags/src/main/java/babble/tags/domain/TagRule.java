package babble.tags.domain;

import babble.contracts.api.Tags;
import babble.platform.problem.InvalidField;
import java.util.List;
import java.util.TreeSet;

/** Tags and sets of tags asked for, checked by the contract's rule ({@link Tags}). */
public final class TagRule {
    private TagRule() {
    }

    /** One tag, trimmed and lower-cased; 422 on {@code field} when it breaks the rule. */
    public static String tag(String field, String raw) {
        return Tags.normalised(raw).orElseThrow(() -> new InvalidField(field, "each tag is " + Tags.RULE));
    }

    /**
     * A set of tags as asked for (null is none), normalised and sorted; 422 on {@code field} for more than
     * {@code max}, a tag that breaks the rule, or the same tag twice.
     */
    public static List<String> tags(String field, List<String> raw, int max) {
        if (raw == null) {
            return List.of();
        }
        if (raw.size() > max) {
            throw new InvalidField(field, "at most " + max + " tags");
        }
        var tags = new TreeSet<String>();
        for (String each : raw) {
            String tag = tag(field, each);
            if (!tags.add(tag)) {
                throw new InvalidField(field, "lists " + tag + " twice");
            }
        }
        return List.copyOf(tags);
    }
}
