package babble.query.api;

import babble.contracts.internal.RoomAccess;
import babble.query.domain.RoomGate;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import java.util.UUID;

/** Asks the rooms service whether a room exists. */
public final class RoomsClient implements RoomGate {
    private final ServiceClient rooms;

    public RoomsClient(ServiceClient rooms) {
        this.rooms = rooms;
    }

    @Override
    public RoomAccess access(UUID roomId, UUID userId) {
        return rooms.get("/internal/rooms/" + roomId + "/access/" + userId, Identity.ofService("query"), RoomAccess.class);
    }
}
