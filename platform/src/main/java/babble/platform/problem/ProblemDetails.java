package babble.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The problem+json body (RFC 9457) with Babble's one extension, the list of invalid fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetails(String type, String title, int status, String detail, String instance,
                             List<Problem.FieldError> errors) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static String typeUri(String slug) {
        return "https://babble.dev/problems/" + slug;
    }
}
