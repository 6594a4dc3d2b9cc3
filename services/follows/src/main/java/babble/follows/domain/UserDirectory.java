package babble.follows.domain;

import babble.contracts.api.UserView;
import java.util.Optional;
import java.util.UUID;

/** Asks the users service about a user this service has not heard of yet. */
public interface UserDirectory {
    /** The user, or empty if there is no such user. */
    Optional<UserView> find(UUID id);
}
