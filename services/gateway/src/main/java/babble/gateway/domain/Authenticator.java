package babble.gateway.domain;

import babble.contracts.internal.TokenCheck;
import babble.contracts.internal.VerifiedSession;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import babble.platform.problem.Unauthorized;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Turns a bearer token into a {@link Caller}. Answers are cached by the token's hash for a short time so most
 * requests cost no call to the users service; logout evicts at once (here, and in every gateway through the
 * session.revoked event).
 */
public final class Authenticator {
    private static final Identity SELF = Identity.ofService("gateway");

    private final ServiceClient users;
    private final Cache<String, Caller> cache;
    private final Clock clock;

    public Authenticator(ServiceClient users, Duration ttl, int size, Clock clock) {
        this.users = users;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
        this.clock = clock;
    }

    /** The caller of a token; 401 when the token is missing, unknown, revoked or expired. */
    public Caller authenticate(String token) {
        if (token == null || token.isEmpty()) {
            throw new Unauthorized("sign in first: send Authorization: Bearer <token>");
        }
        String hash = hash(token);
        Caller cached = cache.getIfPresent(hash);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return cached;
        }
        VerifiedSession session = users.post("/internal/sessions/verify", SELF, new TokenCheck(token),
                VerifiedSession.class);
        var caller = new Caller(session.user(), hash, session.expiresAt());
        cache.put(hash, caller);
        return caller;
    }

    public void forget(String tokenHash) {
        cache.invalidate(tokenHash);
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
