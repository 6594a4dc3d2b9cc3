package babble.follows.domain;

import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.time.Instant;
import java.util.UUID;

/** Where a follow list page ends: the time of its last follow and that user's id (lists are newest first). */
public record PageCursor(Instant at, UUID userId) {

    public static String encode(Instant at, UUID userId) {
        return Cursors.encode(at.toString() + "|" + userId);
    }

    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = Cursors.decode(cursor).split("\\|", 2);
        try {
            return new PageCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out");
        }
    }
}
