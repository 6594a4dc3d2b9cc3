package babble.query.domain;

import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.util.Locale;
import java.util.UUID;

/** The orders of a room's posts, and their cursors (the sort's key and id of the last post of a page). */
public enum Sort {
    HOT, NEW, TOP;

    public static Sort parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return HOT;
        }
        try {
            return valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidField("sort", "must be hot, new or top");
        }
    }

    /** Where a page ends: the sort key (hot rank or score; unused by new) and the post id. */
    public record Position(double hot, long score, UUID id) {
    }

    public String cursor(Position p) {
        String key = switch (this) {
            case HOT -> Double.toString(p.hot());
            case TOP -> Long.toString(p.score());
            case NEW -> "";
        };
        return Cursors.encode(name().toLowerCase(Locale.ROOT) + "|" + key + "|" + p.id());
    }

    /** The position a cursor of this sort holds; null when absent; 422 for one of another sort or made up. */
    public Position position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = Cursors.decode(cursor).split("\\|", -1);
        try {
            if (parts.length != 3 || !parts[0].equals(name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("another sort");
            }
            UUID id = UUID.fromString(parts[2]);
            return switch (this) {
                case HOT -> new Position(Double.parseDouble(parts[1]), 0, id);
                case TOP -> new Position(0, Long.parseLong(parts[1]), id);
                case NEW -> new Position(0, 0, id);
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out for sort=" + name().toLowerCase(Locale.ROOT));
        }
    }
}
