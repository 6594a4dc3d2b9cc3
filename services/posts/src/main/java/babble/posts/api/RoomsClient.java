package babble.posts.api;

import babble.contracts.internal.RoomAccess;
import babble.posts.domain.RoomGate;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import java.util.UUID;

/** Asks the rooms service who may write in a room. */
public final class RoomsClient implements RoomGate {
    private final ServiceClient rooms;

    public RoomsClient(ServiceClient rooms) {
        this.rooms = rooms;
    }

    @Override
    public RoomAccess access(UUID roomId, UUID userId) {
        return rooms.get("/internal/rooms/" + roomId + "/access/" + userId, Identity.ofService("posts"), RoomAccess.class);
    }
}
