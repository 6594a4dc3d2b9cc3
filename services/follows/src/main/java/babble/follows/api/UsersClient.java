package babble.follows.api;

import babble.contracts.api.UserView;
import babble.follows.domain.UserDirectory;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import java.util.Optional;
import java.util.UUID;

/** Asks the users service for a profile this service has not seen yet. */
public final class UsersClient implements UserDirectory {
    private final ServiceClient users;

    public UsersClient(ServiceClient users) {
        this.users = users;
    }

    @Override
    public Optional<UserView> find(UUID id) {
        var response = users.send(ServiceRequest.get("/api/v1/users/" + id, Identity.ofService("follows")));
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(response.as(UserView.class));
    }
}
