package babble.messages.domain;

import babble.contracts.internal.Membership;
import babble.contracts.internal.RoomAccess;
import java.util.UUID;

/** Asks the rooms service what this service's own copies do not answer. */
public interface RoomDirectory {
    /** The membership now; throws NotFound when the room does not exist. */
    Membership membership(UUID roomId, UUID userId);

    /** Whether the user is a member and whether they own the room, read now; NotFound when the room does not exist. */
    RoomAccess access(UUID roomId, UUID userId);
}
