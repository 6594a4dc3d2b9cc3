package babble.users.events;

import babble.contracts.api.UserView;
import babble.contracts.events.SessionRevoked;
import babble.contracts.events.UserRegistered;
import babble.platform.outbox.Outbox;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** What the users service tells the others, written to its outbox inside the change's transaction. */
public final class UserEvents {
    private final Outbox outbox;

    public UserEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void registered(Handle tx, UserView user) {
        outbox.add(tx, UserRegistered.TYPE, user.id().toString(), new UserRegistered(user));
    }

    public void sessionRevoked(Handle tx, String tokenHash, UUID userId) {
        outbox.add(tx, SessionRevoked.TYPE, userId.toString(), new SessionRevoked(tokenHash, userId));
    }
}
