package babble.tags.domain;

import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.time.Instant;
import java.util.UUID;

/** Where a page of labelled posts ends: the time of its last label and that post's id (newest first). */
public record LabelCursor(Instant at, UUID postId) {

    public String encode() {
        return Cursors.encode(at + "|" + postId);
    }

    /** The cursor a client sent; null when absent; 422 when it is not one this service gave out. */
    public static LabelCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = Cursors.decode(cursor).split("\\|", -1);
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("not two parts");
            }
            return new LabelCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out");
        }
    }
}
