package babble.platform.identity;

import babble.platform.problem.Unauthorized;
import java.util.UUID;

/**
 * Who is calling an internal service: the calling service, and the end user it acts for (absent for
 * anonymous calls such as registration, and for a service acting on its own).
 */
public record Identity(String service, UUID userId, String username, String displayName) {

    public static Identity ofService(String service) {
        return new Identity(service, null, null, null);
    }

    public static Identity ofUser(String service, UUID userId, String username, String displayName) {
        return new Identity(service, userId, username, displayName);
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
        return new Identity(service, userId, username, displayName);
    }
}
