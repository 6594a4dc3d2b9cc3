package babble.posts.domain;

import babble.contracts.internal.RoomAccess;
import java.util.UUID;

/** Asks the rooms service, at the moment of a write, whether the caller is in the room and whether they own it. */
public interface RoomGate {
    /** Throws NotFound when the room does not exist. */
    RoomAccess access(UUID roomId, UUID userId);
}
