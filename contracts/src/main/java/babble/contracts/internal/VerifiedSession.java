package babble.contracts.internal;

import babble.contracts.api.UserView;
import java.time.Instant;

/** users → gateway: the token's user and when the session expires. */
public record VerifiedSession(UserView user, Instant expiresAt, String tokenHash) {
}
