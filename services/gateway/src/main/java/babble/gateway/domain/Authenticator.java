package babble.gateway.domain;

import babble.contracts.internal.TokenCheck;
import babble.contracts.internal.VerifiedSession;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import babble.platform.problem.Unauthorized;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Turns a bearer token into a {@link Caller}. Answers are cached ({@link TokenCache}) so most requests cost no
 * call to the users service; logout evicts at once (here, and in every gateway through the session.revoked
 * event).
 */
public final class Authenticator {
    private static final Identity SELF = Identity.ofService("gateway");

    private final ServiceClient users;
    private final TokenCache cache;
    private final Clock clock;

    public Authenticator(ServiceClient users, TokenCache cache, Clock clock) {
        this.users = users;
        this.cache = cache;
        this.clock = clock;
    }

    /** The caller of a token; 401 when the token is missing, unknown, revoked or expired. */
    public Caller authenticate(String token) {
        if (token == null || token.isEmpty()) {
            throw new Unauthorized("sign in first: send Authorization: Bearer <token>");
        }
        String hash = hash(token);
        Caller cached = cache.get(hash);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return cached;
        }
        VerifiedSession session = users.post("/internal/sessions/verify", SELF, new TokenCheck(token),
                VerifiedSession.class);
        var caller = new Caller(session.user(), hash, session.expiresAt());
        cache.put(caller);
        return caller;
    }

    public void forget(String tokenHash) {
        cache.forget(tokenHash);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
