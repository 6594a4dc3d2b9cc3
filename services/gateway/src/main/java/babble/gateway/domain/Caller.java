package babble.gateway.domain;

import babble.contracts.api.UserView;
import babble.platform.identity.Identity;
import java.time.Instant;

/** A request's signed-in user, as the gateway established from its bearer token. */
public record Caller(UserView user, String tokenHash, Instant expiresAt) {
    public Identity identity() {
        return Identity.ofUser("gateway", user.id(), user.username(), user.displayName());
    }
}
