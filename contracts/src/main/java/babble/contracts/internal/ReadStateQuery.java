package babble.contracts.internal;

import java.util.List;
import java.util.UUID;

/** gateway → messages {@code POST /internal/read-states}: the caller's read state in these rooms. */
public record ReadStateQuery(List<UUID> roomIds) {
}
