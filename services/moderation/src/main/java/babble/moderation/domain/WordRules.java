package babble.moderation.domain;

import babble.platform.problem.InvalidField;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A list of words matched as whole words, ignoring case: "orange" finds "Orange!" and "an orange," but not
 * "orangery" or "blood-oranges". A word is letters, digits, {@code '} and {@code -}; it matches where the text
 * has no letter or digit right before or after it.
 */
public final class WordRules {
    public static final int MAX_WORDS = 200;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}'-]{1,64}");
    private static final WordRules NONE = new WordRules(List.of());

    private final List<String> words;
    private final Pattern pattern;

    private WordRules(List<String> words) {
        this.words = words;
        this.pattern = words.isEmpty() ? null : Pattern.compile(
                words.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?<![\\p{L}\\p{N}])(?:", ")(?![\\p{L}\\p{N}])")),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    public static WordRules none() {
        return NONE;
    }

    /** Words as a user gave them: each checked (422 on {@code field}), lower-cased, duplicates dropped. */
    public static WordRules of(String field, Collection<String> given) {
        if (given == null || given.isEmpty()) {
            return NONE;
        }
        var words = new LinkedHashSet<String>();
        for (String word : given) {
            String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
            if (!WORD.matcher(w).matches()) {
                throw new InvalidField(field, "each word is 1 to 64 letters, digits, ' or -");
            }
            words.add(w);
        }
        if (words.size() > MAX_WORDS) {
            throw new InvalidField(field, "at most " + MAX_WORDS + " words");
        }
        return new WordRules(List.copyOf(words));
    }

    /** Words as stored (space-separated, already checked). */
    public static WordRules stored(String spaceSeparated) {
        if (spaceSeparated == null || spaceSeparated.isBlank()) {
            return NONE;
        }
        return new WordRules(List.of(spaceSeparated.strip().split(" ")));
    }

    /** The first listed word the text contains (lower-cased), if any. */
    public Optional<String> firstIn(String text) {
        if (pattern == null) {
            return Optional.empty();
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group().toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    public List<String> words() {
        return words;
    }

    public String stored() {
        return String.join(" ", words);
    }
}
