package babble.gateway.domain;

import babble.contracts.api.UserView;
import babble.platform.identity.Identity;
import java.time.Instant;

/**
 * A request's signed-in user, as the gateway established from its bearer token, with the user's latest
 * membership version as far as the gateway knows ({@link #UNKNOWN} until it has asked), which the signed
 * identity carries to the services so that the user's own joins and leaves hold on their next request.
 */
public record Caller(UserView user, String tokenHash, Instant expiresAt, long membershipVersion) {
    public static final long UNKNOWN = -1;

    public Caller(UserView user, String tokenHash, Instant expiresAt) {
        this(user, tokenHash, expiresAt, UNKNOWN);
    }

    public Caller withMembershipVersion(long version) {
        return version == membershipVersion ? this : new Caller(user, tokenHash, expiresAt, version);
    }

    public Identity identity() {
        return Identity.ofUser("gateway", user.id(), user.username(), user.displayName())
                .withMembershipVersion(membershipVersion);
    }
}
