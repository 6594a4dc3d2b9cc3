package babble.quotes.domain;

import babble.platform.problem.InvalidField;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** "mark twain" → every word must appear in the author's name, ignoring case. Empty means any author. */
public record AuthorFilter(List<String> words) {
    private static final int MAX_WORDS = 6;
    private static final int MAX_WORD = 40;

    public static AuthorFilter parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return new AuthorFilter(List.of());
        }
        List<String> words = Arrays.stream(raw.strip().toLowerCase(Locale.ROOT).split("\\s+")).toList();
        if (words.size() > MAX_WORDS || words.stream().anyMatch(w -> w.length() > MAX_WORD)) {
            throw new InvalidField("author", "at most " + MAX_WORDS + " words of up to " + MAX_WORD + " characters");
        }
        return new AuthorFilter(words);
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(" ", words);
    }
}
