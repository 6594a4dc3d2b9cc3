package babble.contracts.api;

import java.time.Instant;

/** A new session: {@code POST /sessions}. The token is shown once; the server keeps only its hash. */
public record SessionView(String token, UserView user, Instant expiresAt) {
}
