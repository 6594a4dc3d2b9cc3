package babble.contracts.api;

/** How far a job is: {@code done} of {@code total} units (messages, lines); total is null while unknown. */
public record JobProgress(long done, Long total) {
}
