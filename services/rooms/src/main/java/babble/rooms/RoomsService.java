package babble.rooms;

import babble.platform.Chassis;
import babble.platform.Service;
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
        var rooms = new Rooms(chassis.database(), new RoomStore(), new RoomEvents(chassis.outbox()), chassis.clock());
        chassis.http(routes -> new RoomsApi(rooms).register(routes));
    }
}
