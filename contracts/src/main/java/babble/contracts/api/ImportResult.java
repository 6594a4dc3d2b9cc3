package babble.contracts.api;

import java.util.List;

/**
 * The result of an {@code import-posts} job: posts imported, posts the room already had (an earlier import of the
 * same data), lines skipped, and why (the first 100).
 */
public record ImportResult(long imported, long existing, long skipped, List<ImportError> errors) {
    /** A line that was not imported: its number (from 1) and why. */
    public record ImportError(long line, String reason) {
    }
}
