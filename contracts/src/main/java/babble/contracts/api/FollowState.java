package babble.contracts.api;

/** {@code GET /users/{id}/follow/{targetId}}. */
public record FollowState(boolean following) {
}
