package babble.users.domain;

import java.time.Instant;
import java.util.UUID;

/** A signed-in session, known by the hash of its token. */
public record Session(String tokenHash, UUID userId, Instant createdAt, Instant expiresAt) {
}
