package babble.contracts.api;

/** {@code PUT /posts/{id}/vote}: 1, 0 (no vote) or -1. */
public record VoteRequest(Integer value) {
}
