package babble.contracts.api;

/** {@code POST /users}. */
public record RegisterRequest(String username, String password, String displayName) {
}
