package babble.gateway.domain;

import babble.contracts.internal.Replay;
import java.util.UUID;

/** Where missed messages and changes come from when they are not in memory (the messages service). */
public interface History {
    /**
     * Messages after {@code afterSeq} and changes after {@code afterChange} to those up to it, all of them if at most
     * {@code max} together; throws a Problem when unavailable.
     */
    Replay after(UUID roomId, long afterSeq, long afterChange, int max);
}
