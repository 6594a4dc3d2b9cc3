package babble.platform.identity;

import babble.platform.problem.Unauthorized;
import java.util.UUID;

/**
 * Who is calling an internal service: the calling service, and the end user it acts for (absent for
 * anonymous calls such as registration, and for a service acting on its own).
 *
 * <p>{@code membershipVersion} is the number of the user's latest membership change (join or leave, counted
 * per user by the rooms service) that the caller knows of; 0 when it knows none. A service that keeps its own
 * copy of memberships trusts that copy only once it has applied this change, so a user's own join or leave is
 * visible to the user's next request (read-your-writes) however late the event arrives.
 */
public record Identity(String service, UUID userId, String username, String displayName, long membershipVersion) {

    public static Identity ofService(String service) {
        return new Identity(service, null, null, null, 0);
    }

    public static Identity ofUser(String service, UUID userId, String username, String displayName) {
        return new Identity(service, userId, username, displayName, 0);
    }

    /** The same caller, known to have made membership change number {@code version} (never lowers it). */
    public Identity withMembershipVersion(long version) {
        return version <= membershipVersion ? this
                : new Identity(service, userId, username, displayName, version);
    }

    public boolean hasUser() {
        return userId != null;
    }

    /** The user this call acts for; 401 when there is none. */
    public UUID requireUser() {
        if (userId == null) {
            throw new Unauthorized("this call needs a signed-in user");
        }
        return userId;
    }

    /** The same user, relayed by another service (a service passes on who it acts for). */
    public Identity relayedBy(String service) {
        return new Identity(service, userId, username, displayName, membershipVersion);
    }
}
