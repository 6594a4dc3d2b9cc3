package babble.messages.domain;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The usernames a message names as {@code @username}: a username's characters ({@code [a-z0-9_.-]}, 3 to 32, any
 * case) after an {@code @} that does not follow a word character (so {@code ann@example.org} names no one). A name
 * followed by sentence punctuation ({@code "@ann."}) is also tried without it.
 */
public final class Mentions {
    public static final int MAX = 50; // names looked up in one message; more are ignored
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{Alnum}_.@-])@([A-Za-z0-9_.-]{3,32})");

    private Mentions() {
    }

    public static Set<String> names(String text) {
        var names = new LinkedHashSet<String>();
        if (text == null || text.indexOf('@') < 0) {
            return names;
        }
        var m = MENTION.matcher(text);
        while (m.find() && names.size() < MAX) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            names.add(name);
            String trimmed = name.replaceAll("[.\\-]+$", "");
            if (trimmed.length() >= 3) {
                names.add(trimmed);
            }
        }
        return names;
    }
}
