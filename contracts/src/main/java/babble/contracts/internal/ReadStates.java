package babble.contracts.internal;

import java.util.Map;
import java.util.UUID;

/** messages → gateway: per room, its last seq and the caller's read marker. */
public record ReadStates(Map<UUID, ReadState> rooms) {
    public record ReadState(long lastSeq, long lastReadSeq) {
    }
}
