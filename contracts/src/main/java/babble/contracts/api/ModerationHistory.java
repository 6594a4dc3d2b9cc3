package babble.contracts.api;

import java.time.Instant;
import java.util.List;

/** Every decision on an item, oldest first; {@code by} is "rules" or the deciding owner's user id. */
public record ModerationHistory(List<Entry> history) {
    public record Entry(String status, String by, String reason, Instant at) {
    }
}
