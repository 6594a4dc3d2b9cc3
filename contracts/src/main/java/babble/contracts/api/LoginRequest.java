package babble.contracts.api;

/** {@code POST /sessions}. */
public record LoginRequest(String username, String password) {
}
