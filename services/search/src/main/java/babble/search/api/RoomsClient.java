package babble.search.api;

import babble.contracts.api.RoomView;
import babble.contracts.internal.UserRooms;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import babble.search.domain.Memberships;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Asks the rooms service which rooms a user is in now. */
public final class RoomsClient implements Memberships.RoomDirectory {
    private static final Identity SELF = Identity.ofService("search");

    private final ServiceClient rooms;

    public RoomsClient(ServiceClient rooms) {
        this.rooms = rooms;
    }

    @Override
    public Set<UUID> roomsOf(UUID userId) {
        return rooms.get("/internal/members/" + userId + "/rooms", SELF, UserRooms.class).rooms().stream()
                .map(RoomView::id).collect(Collectors.toUnmodifiableSet());
    }
}
