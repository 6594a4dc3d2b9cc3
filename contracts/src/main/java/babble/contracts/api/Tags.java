package babble.contracts.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tag rule of the public contract (post tags, topics, labels): 1 to 32 of a-z, 0-9 and '-', starting with a
 * letter or digit; case is ignored. Each service answers a broken tag its own way (a 422 naming the field).
 */
public final class Tags {
    /** The rule in words, for error messages. */
    public static final String RULE = "1 to 32 of a-z, 0-9 and '-', starting with a letter or digit";
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private Tags() {
    }

    /** The tag trimmed and lower-cased, or empty when it breaks the rule (null included). */
    public static Optional<String> normalised(String raw) {
        String tag = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        return TAG.matcher(tag).matches() ? Optional.of(tag) : Optional.empty();
    }
}
