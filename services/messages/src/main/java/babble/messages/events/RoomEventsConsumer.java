package babble.messages.events;

import babble.contracts.events.MemberJoined;
import babble.contracts.events.MemberLeft;
import babble.contracts.events.RoomCreated;
import babble.contracts.internal.Membership;
import babble.messages.store.MembershipStore;
import babble.platform.bus.Event;
import org.jdbi.v3.core.Handle;

/** Keeps this service's copy of rooms and memberships from the rooms service's events. */
public final class RoomEventsConsumer {
    private final MembershipStore store;

    public RoomEventsConsumer(MembershipStore store) {
        this.store = store;
    }

    public void apply(Event event, Handle tx) {
        switch (event.type()) {
            case RoomCreated.TYPE -> store.roomExists(tx, event.dataAs(RoomCreated.class).room().id());
            case MemberJoined.TYPE -> {
                var joined = event.dataAs(MemberJoined.class);
                store.apply(tx, new Membership(joined.roomId(), joined.user().id(), true, joined.version(),
                        joined.userVersion()));
                store.username(tx, joined.roomId(), joined.user().id(), joined.user().username());
            }
            case MemberLeft.TYPE -> {
                var left = event.dataAs(MemberLeft.class);
                store.apply(tx, new Membership(left.roomId(), left.userId(), false, left.version(), left.userVersion()));
            }
            default -> {
                // other room events do not concern messages
            }
        }
    }
}
