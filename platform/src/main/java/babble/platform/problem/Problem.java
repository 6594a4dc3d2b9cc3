package babble.platform.problem;

import java.util.List;

/**
 * A failure the client should see as RFC 9457 problem+json. Services throw the typed subclasses
 * ({@link NotFound}, {@link Conflict}, {@link InvalidField}, ...); the chassis renders them in one place.
 */
public class Problem extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;
    private final Integer retryAfterSeconds;

    public Problem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, List.of(), null);
    }

    protected Problem(int status, String slug, String title, String detail, List<FieldError> errors, Integer retryAfterSeconds) {
        super(detail, null, false, false); // no stack trace: a problem is an answer, not a bug
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds for a {@code Retry-After} header, or null when the answer is not worth retrying. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ProblemDetails details(String instance) {
        return new ProblemDetails(ProblemDetails.typeUri(slug), title, status, detail(), instance,
                errors.isEmpty() ? null : errors);
    }

    /** One invalid field of a request: its name as the client wrote it, and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
