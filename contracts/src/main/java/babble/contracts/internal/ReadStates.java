package babble.contracts.internal;

import java.util.Map;
import java.util.UUID;

/** messages → gateway: per room, its last seq, the caller's read marker and the room's last change number. */
public record ReadStates(Map<UUID, ReadState> rooms) {
    public record ReadState(long lastSeq, long lastReadSeq, long lastChange) {
        public static final ReadState NONE = new ReadState(0, 0, 0);
    }
}
