package babble.contracts.api;

import java.util.UUID;

/** A user as every service and client shows them. */
public record UserView(UUID id, String username, String displayName) {
}
