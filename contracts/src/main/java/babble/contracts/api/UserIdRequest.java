package babble.contracts.api;

import java.util.UUID;

/** {@code POST /rooms/{id}/invites} and {@code POST /dms}: the user invited, or the other user of a direct room. */
public record UserIdRequest(UUID userId) {
}
