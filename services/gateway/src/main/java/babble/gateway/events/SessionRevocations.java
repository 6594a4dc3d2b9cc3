package babble.gateway.events;

import babble.contracts.events.SessionRevoked;
import babble.gateway.domain.Authenticator;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;

/** Listens for revoked sessions so every gateway stops accepting a token as soon as it is logged out. */
public final class SessionRevocations {
    private final Bus bus;
    private final Authenticator authenticator;

    public SessionRevocations(Bus bus, Authenticator authenticator) {
        this.bus = bus;
        this.authenticator = authenticator;
    }

    public Subscription start() {
        return bus.listen("events." + SessionRevoked.TYPE + ".*",
                event -> authenticator.forget(event.dataAs(SessionRevoked.class).tokenHash()));
    }
}
