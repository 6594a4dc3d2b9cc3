package babble.rooms;

import babble.contracts.internal.UserList;
import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.identity.Identity;
import babble.rooms.api.RoomsApi;
import babble.rooms.domain.Rooms;
import babble.rooms.events.RoomEvents;
import babble.rooms.store.RoomStore;

/** Rooms and who is in them. */
public final class RoomsService implements Service {

    @Override
    public String name() {
        return "rooms";
    }

    @Override
    public void start(Chassis chassis) {
        // Only invitations and direct rooms ask the users service: its client is made at the first (tests of other
        // services run rooms without users).
        var self = Identity.ofService(name());
        var users = new java.util.concurrent.atomic.AtomicReference<babble.platform.client.ServiceClient>();
        Rooms.UserDirectory directory = id -> users.updateAndGet(known -> known != null ? known : chassis.client("users"))
                .get("/internal/users?ids=" + id, self, UserList.class).users().stream().findFirst();
        var rooms = new Rooms(chassis.database(), new RoomStore(), new RoomEvents(chassis.outbox()), chassis.clock(),
                directory);
        chassis.http(routes -> new RoomsApi(rooms).register(routes));
    }
}
