package babble.recommend.domain;

import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.util.UUID;

/**
 * Where a feed page ends: the snapshot it was served from and the position in it, and the last post served (its
 * hot rank and id), from which the feed continues by keyset when the snapshot is gone.
 */
public record FeedCursor(UUID snapshotId, int offset, Ranked last) {

    public String encode() {
        return Cursors.encode("feed|" + snapshotId + "|" + offset + "|" + last.hot() + "|" + last.id());
    }

    /** The cursor a client sent; null when absent; 422 when it is not one this service gave out. */
    public static FeedCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts = Cursors.decode(cursor).split("\\|", -1);
        try {
            if (parts.length != 5 || !parts[0].equals("feed")) {
                throw new IllegalArgumentException("not a feed cursor");
            }
            int offset = Integer.parseInt(parts[2]);
            double hot = Double.parseDouble(parts[3]);
            if (offset < 0 || !Double.isFinite(hot)) {
                throw new IllegalArgumentException("out of range");
            }
            return new FeedCursor(UUID.fromString(parts[1]), offset, new Ranked(UUID.fromString(parts[4]), hot));
        } catch (RuntimeException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out");
        }
    }
}
