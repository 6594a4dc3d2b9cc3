package babble.posts.domain;

import babble.platform.problem.InvalidField;
import java.util.regex.Pattern;

/** Checks shared by posts and comments: required text, lengths in characters (code points), idempotency keys. */
final class Texts {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private Texts() {
    }

    static String required(String field, String text, int max) {
        if (text == null) {
            throw new InvalidField(field, "is required");
        }
        if (text.isBlank()) {
            throw new InvalidField(field, "must not be blank");
        }
        if (length(text.strip()) > max) {
            throw new InvalidField(field, "must be at most " + max + " characters");
        }
        return text;
    }

    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    static String idempotencyKey(String key) {
        if (key != null && !KEY.matcher(key).matches()) {
            throw new InvalidField("Idempotency-Key", "must be 1 to 128 visible ASCII characters");
        }
        return key;
    }
}
