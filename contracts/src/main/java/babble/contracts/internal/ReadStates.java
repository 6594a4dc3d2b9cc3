package babble.contracts.internal;

import java.util.Map;
import java.util.UUID;

/**
 * messages → gateway: per room, its last seq, the caller's read marker, the room's last change number and the
 * caller's mentions after the read marker.
 */
public record ReadStates(Map<UUID, ReadState> rooms) {
    public record ReadState(long lastSeq, long lastReadSeq, long lastChange, long mentions) {
        public static final ReadState NONE = new ReadState(0, 0, 0, 0);
    }
}
