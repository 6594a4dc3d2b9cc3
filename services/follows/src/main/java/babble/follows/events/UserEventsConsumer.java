package babble.follows.events;

import babble.contracts.events.UserRegistered;
import babble.follows.store.UserStore;
import babble.platform.bus.Event;
import org.jdbi.v3.core.Handle;

/** Keeps this service's copy of user profiles from the users service's events. */
public final class UserEventsConsumer {
    private final UserStore store;

    public UserEventsConsumer(UserStore store) {
        this.store = store;
    }

    public void apply(Event event, Handle tx) {
        if (UserRegistered.TYPE.equals(event.type())) {
            store.remember(tx, event.dataAs(UserRegistered.class).user());
        }
    }
}
