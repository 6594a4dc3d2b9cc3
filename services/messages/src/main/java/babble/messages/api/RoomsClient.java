package babble.messages.api;

import babble.contracts.internal.Membership;
import babble.contracts.internal.RoomAccess;
import babble.messages.domain.RoomDirectory;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import java.util.UUID;

/** How the messages service asks the rooms service about a membership it does not know yet. */
public final class RoomsClient implements RoomDirectory {
    private final ServiceClient rooms;

    public RoomsClient(ServiceClient rooms) {
        this.rooms = rooms;
    }

    @Override
    public Membership membership(UUID roomId, UUID userId) {
        return rooms.get("/internal/rooms/" + roomId + "/members/" + userId, Identity.ofService("messages"),
                Membership.class);
    }

    @Override
    public RoomAccess access(UUID roomId, UUID userId) {
        return rooms.get("/internal/rooms/" + roomId + "/access/" + userId, Identity.ofService("messages"),
                RoomAccess.class);
    }
}
