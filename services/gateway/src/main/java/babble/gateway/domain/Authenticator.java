package babble.gateway.domain;

import babble.contracts.internal.TokenCheck;
import babble.contracts.internal.UserMembershipVersion;
import babble.contracts.internal.VerifiedSession;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import babble.platform.problem.Unauthorized;
import babble.platform.problem.Unavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Turns a bearer token into a {@link Caller}, with the user's latest membership version. Answers are cached
 * ({@link CallerCache}) so most requests cost no call to the users or rooms service; logout evicts at once.
 */
public final class Authenticator {
    private static final Identity SELF = Identity.ofService("gateway");

    private final ServiceClient users;
    private final ServiceClient rooms;
    private final CallerCache cache;
    private final Clock clock;

    public Authenticator(ServiceClient users, ServiceClient rooms, CallerCache cache, Clock clock) {
        this.users = users;
        this.rooms = rooms;
        this.cache = cache;
        this.clock = clock;
    }

    /** The caller of a token; 401 when the token is missing, unknown, revoked or expired. */
    public Caller authenticate(String token) {
        if (token == null || token.isEmpty()) {
            throw new Unauthorized("sign in first: send Authorization: Bearer <token>");
        }
        String hash = hash(token);
        Caller caller = cache.get(hash);
        if (caller == null || !caller.expiresAt().isAfter(clock.instant())) {
            VerifiedSession session = users.post("/internal/sessions/verify", SELF, new TokenCheck(token),
                    VerifiedSession.class);
            cache.put(new Caller(session.user(), hash, session.expiresAt()));
            caller = cache.get(hash);
            if (caller == null) { // a cache that cannot keep it (Redis failing): this request still goes on
                caller = new Caller(session.user(), hash, session.expiresAt());
            }
        }
        if (caller.membershipVersion() == Caller.UNKNOWN) {
            caller = caller.withMembershipVersion(membershipVersion(caller.user().id()));
        }
        return caller;
    }

    /** The caller's memberships changed (through this gateway): their next request carries the new version. */
    public void membershipChanged(UUID userId, long version) {
        cache.membershipChanged(userId, version);
    }

    public void forget(String tokenHash) {
        cache.forget(tokenHash);
    }

    /**
     * Asked once per user and remembered: later changes through a gateway raise it (see membershipChanged). While
     * the rooms service cannot answer, 0 names no change: services then trust their copies for members and ask
     * rooms about the rest, as they would for any caller without a version.
     */
    private long membershipVersion(UUID userId) {
        long version;
        try {
            version = rooms.get("/internal/members/" + userId + "/version", SELF, UserMembershipVersion.class).version();
        } catch (Unavailable e) {
            return 0;
        }
        cache.membershipChanged(userId, version);
        return version;
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
