package babble.platform.http;

import babble.platform.problem.InvalidField;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque paging cursors. A cursor is the position after the last item of a page (usually its id), encoded so
 * clients treat it as a token; a cursor that does not decode is a 422 on {@code cursor}.
 */
public final class Cursors {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Cursors() {
    }

    public static String encode(String position) {
        return ENCODER.encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    public static String encode(UUID id) {
        return encode(id.toString());
    }

    public static String decode(String cursor) {
        try {
            return new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out");
        }
    }

    /** A cursor holding an id; null when absent. */
    public static UUID decodeId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(decode(cursor));
        } catch (IllegalArgumentException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out");
        }
    }
}
