package babble.search.domain;

import babble.platform.problem.InvalidField;
import babble.search.store.ItemDocuments;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.lucene.search.FieldDoc;

/**
 * A search as asked ({@code GET /search}), each parameter checked: {@code kind} post, comment or message;
 * {@code room} a room id; {@code tag} a tag name; {@code author} a user name; {@code after} the cursor's position.
 */
public record SearchRequest(String q, String kind, UUID room, String tag, String author, SearchSort sort, int limit,
                            FieldDoc after) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 50;
    private static final Set<String> KINDS = Set.of(ItemState.POST, ItemState.COMMENT, ItemState.MESSAGE);
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final int MAX_AUTHOR = 100;

    public static SearchRequest of(String q, String kind, String room, String tag, String author, String sort, int limit,
                                   String cursor) {
        if (kind != null && !kind.isEmpty() && !KINDS.contains(kind)) {
            throw new InvalidField("kind", "must be post, comment or message");
        }
        UUID roomId = null;
        if (room != null && !room.isEmpty()) {
            try {
                roomId = UUID.fromString(room);
            } catch (IllegalArgumentException e) {
                throw new InvalidField("room", "must be a room id");
            }
        }
        String tagName = blankToNull(tag);
        if (tagName != null && !TAG.matcher(tagName).matches()) {
            throw new InvalidField("tag", "must be a tag: a letter or digit, then up to 31 letters, digits or dashes");
        }
        String authorName = blankToNull(author);
        if (authorName != null && authorName.length() > MAX_AUTHOR) {
            throw new InvalidField("author", "must be at most " + MAX_AUTHOR + " characters");
        }
        SearchSort order = SearchSort.parse(sort);
        return new SearchRequest(q, blankToNull(kind), roomId, tagName, authorName, order, limit, order.after(cursor));
    }

    private static String blankToNull(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return ItemDocuments.normalize(value);
    }
}
