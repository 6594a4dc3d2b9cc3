package babble.users.domain;

import babble.contracts.api.UserView;
import java.time.Instant;
import java.util.UUID;

/** An account as the users service keeps it. {@code passwordHash} is null for system users such as the bot. */
public record User(UUID id, String username, String displayName, String passwordHash, Instant createdAt) {
    public UserView view() {
        return new UserView(id, username, displayName);
    }
}
