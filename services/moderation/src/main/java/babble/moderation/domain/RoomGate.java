package babble.moderation.domain;

import babble.contracts.internal.RoomAccess;
import java.util.UUID;

/** Asks the rooms service, at the moment of a call, whether the caller owns the room. */
public interface RoomGate {
    /** Throws NotFound when the room does not exist. */
    RoomAccess access(UUID roomId, UUID userId);
}
