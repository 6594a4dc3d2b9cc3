package babble.contracts.api;

/** {@code PUT /rooms/{id}/read}: the highest seq the caller has read. */
public record MarkReadRequest(Long seq) {
}
