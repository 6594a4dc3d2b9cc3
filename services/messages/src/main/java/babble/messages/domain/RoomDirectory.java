package babble.messages.domain;

import babble.contracts.internal.Membership;
import java.util.UUID;

/** Asks the rooms service, when this service's copy of memberships does not know the answer yet. */
public interface RoomDirectory {
    /** The membership now; throws NotFound when the room does not exist. */
    Membership membership(UUID roomId, UUID userId);
}
