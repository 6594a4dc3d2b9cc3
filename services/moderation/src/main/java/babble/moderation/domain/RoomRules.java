package babble.moderation.domain;

import babble.contracts.api.ModerationRules;

/** A room's own rules (none until its owner sets some). */
public record RoomRules(WordRules blocked, WordRules held, boolean holdAll) {
    public static final RoomRules NONE = new RoomRules(WordRules.none(), WordRules.none(), false);

    /** From an owner's request: every word checked (422). */
    public static RoomRules from(ModerationRules request) {
        return new RoomRules(WordRules.of("blockedWords", request.blockedWords()),
                WordRules.of("holdWords", request.holdWords()), Boolean.TRUE.equals(request.holdAll()));
    }

    public ModerationRules view() {
        return new ModerationRules(blocked.words(), held.words(), holdAll);
    }
}
