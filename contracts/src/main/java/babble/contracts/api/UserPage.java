package babble.contracts.api;

import java.util.List;

/** {@code GET /users/{id}/followers} and {@code /following}: one page and the cursor of the next (or null). */
public record UserPage(List<UserView> users, String next) {
}
