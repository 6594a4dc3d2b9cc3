package babble.gateway.events;

import babble.contracts.events.SessionRevoked;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.domain.Authenticator;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;

/**
 * Listens for revoked sessions so every gateway stops accepting a token as soon as it is logged out, and ends
 * the live sockets that were opened with it.
 */
public final class SessionRevocations {
    private final Bus bus;
    private final Authenticator authenticator;
    private final LiveEndpoint live;

    public SessionRevocations(Bus bus, Authenticator authenticator, LiveEndpoint live) {
        this.bus = bus;
        this.authenticator = authenticator;
        this.live = live;
    }

    public Subscription start() {
        return bus.listen("events." + SessionRevoked.TYPE + ".*", event -> {
            String tokenHash = event.dataAs(SessionRevoked.class).tokenHash();
            authenticator.forget(tokenHash);
            live.sessionRevoked(tokenHash);
        });
    }
}
