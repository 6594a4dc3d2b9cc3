package babble.recommend.domain;

import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** The orders of a topic's posts, and their cursors (the sort's key and the id of the last post of a page). */
public enum TopicSort {
    HOT, NEW, TOP;

    /** The sort asked for: hot when absent, 422 for any other word. */
    public static TopicSort parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return HOT;
        }
        try {
            return valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidField("sort", "must be hot, new or top");
        }
    }

    /** Where a page ends: the post's hot rank, score, creation time and id (each sort uses its own key). */
    public record Position(double hot, long score, Instant createdAt, UUID id) {
    }

    public String cursor(Position p) {
        String key = switch (this) {
            case HOT -> Double.toString(p.hot());
            case NEW -> p.createdAt().toString();
            case TOP -> Long.toString(p.score());
        };
        return Cursors.encode(word() + "|" + key + "|" + p.id());
    }

    /** The position a cursor of this sort holds; null when absent; 422 for one of another sort or made up. */
    public Position position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = Cursors.decode(cursor).split("\\|", -1);
        try {
            if (parts.length != 3 || !parts[0].equals(word())) {
                throw new IllegalArgumentException("another sort");
            }
            UUID id = UUID.fromString(parts[2]);
            return switch (this) {
                case HOT -> new Position(finite(Double.parseDouble(parts[1])), 0, null, id);
                case NEW -> new Position(0, 0, Instant.parse(parts[1]), id);
                case TOP -> new Position(0, Long.parseLong(parts[1]), null, id);
            };
        } catch (RuntimeException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out for sort=" + word());
        }
    }

    private String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a rank");
        }
        return value;
    }
}
