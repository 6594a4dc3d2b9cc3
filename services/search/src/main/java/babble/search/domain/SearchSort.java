package babble.search.domain;

import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import babble.search.store.ItemDocuments;
import java.util.Locale;
import java.util.UUID;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;

/**
 * The orders of search results, each ending on the item id so that no two hits tie, and their cursors: the sort
 * values of a page's last hit, which the next page searches after.
 */
public enum SearchSort {
    RELEVANCE(new Sort(SortField.FIELD_SCORE, id())),
    NEW(new Sort(new SortField(ItemDocuments.CREATED, SortField.Type.LONG, true), id())),
    TOP(new Sort(new SortField(ItemDocuments.VOTES, SortField.Type.LONG, true),
            new SortField(ItemDocuments.CREATED, SortField.Type.LONG, true), id()));

    private static final String BAD_CURSOR = "is not a cursor this server gave out for this sort";

    private final Sort sort;

    SearchSort(Sort sort) {
        this.sort = sort;
    }

    public Sort lucene() {
        return sort;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** relevance (default), new or top; 422 on {@code sort} for anything else. */
    public static SearchSort parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return RELEVANCE;
        }
        for (SearchSort s : values()) {
            if (s.label().equals(raw)) {
                return s;
            }
        }
        throw new InvalidField("sort", "must be relevance, new or top");
    }

    /** The cursor after {@code last}: this sort's name and the hit's sort values. */
    public String cursor(FieldDoc last) {
        var position = new StringBuilder(label());
        for (Object value : last.fields) {
            position.append('|');
            switch (value) {
                case Float score -> position.append(Integer.toHexString(Float.floatToIntBits(score)));
                case Long number -> position.append(number);
                case BytesRef id -> position.append(id.utf8ToString());
                default -> throw new IllegalStateException("unexpected sort value " + value);
            }
        }
        return Cursors.encode(position.toString());
    }

    /** The position a cursor names, or null without one; 422 on {@code cursor} when it is not one of this sort's. */
    public FieldDoc after(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = Cursors.decode(cursor).split("\\|", -1);
        SortField[] fields = sort.getSort();
        if (parts.length != fields.length + 1 || !parts[0].equals(label())) {
            throw new InvalidField("cursor", BAD_CURSOR);
        }
        Object[] values = new Object[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) {
                String part = parts[i + 1];
                values[i] = switch (fields[i].getType()) {
                    case SCORE -> Float.intBitsToFloat(Integer.parseUnsignedInt(part, 16));
                    case LONG -> Long.parseLong(part);
                    case STRING -> new BytesRef(UUID.fromString(part).toString());
                    default -> throw new IllegalStateException("unexpected sort field " + fields[i]);
                };
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidField("cursor", BAD_CURSOR);
        }
        // Any doc whose values all equal the cursor's is the hit itself (ids are unique): counted as already seen.
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, values);
    }

    private static SortField id() {
        return new SortField(ItemDocuments.ID, SortField.Type.STRING);
    }
}
