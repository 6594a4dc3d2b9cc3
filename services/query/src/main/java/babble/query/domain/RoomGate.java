package babble.query.domain;

import babble.contracts.internal.RoomAccess;
import java.util.UUID;

/** Asks the rooms service about a room the read model has not heard of yet. */
public interface RoomGate {
    /** Throws NotFound when the room does not exist. */
    RoomAccess access(UUID roomId, UUID userId);
}
