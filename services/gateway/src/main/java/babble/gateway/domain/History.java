package babble.gateway.domain;

import babble.contracts.internal.Replay;
import java.util.UUID;

/** Where missed messages come from when they are not in memory (the messages service). */
public interface History {
    /** Messages after {@code afterSeq}, all of them if at most {@code max}; throws a Problem when unavailable. */
    Replay after(UUID roomId, long afterSeq, int max);
}
