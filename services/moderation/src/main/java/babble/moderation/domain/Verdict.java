package babble.moderation.domain;

import java.util.Optional;

/** What the rules say about a new item's text: rejected (a blocked word), held (for the owner) or approved. */
public record Verdict(String status, String reason) {
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String HELD = "held";

    /** The global list first, then the room's blocked words, then what holds an item for review. */
    public static Verdict of(String text, WordRules global, RoomRules room) {
        Optional<String> blocked = global.firstIn(text).or(() -> room.blocked().firstIn(text));
        if (blocked.isPresent()) {
            return new Verdict(REJECTED, "blocked word: " + blocked.get());
        }
        Optional<String> held = room.held().firstIn(text);
        if (held.isPresent()) {
            return new Verdict(HELD, "held for review: " + held.get());
        }
        if (room.holdAll()) {
            return new Verdict(HELD, "held for review");
        }
        return new Verdict(APPROVED, null);
    }
}
