package babble.contracts.api;

/** {@code GET /counter}: the number of visits, this one included. */
public record Visits(long visits) {
}
