package babble.contracts.events;

import java.util.UUID;

/** A token was revoked (logout): caches of it must forget it now. Key: the user id. */
public record SessionRevoked(String tokenHash, UUID userId) {
    public static final String TYPE = "session.revoked";
}
