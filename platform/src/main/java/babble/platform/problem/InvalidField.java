package babble.platform.problem;

import java.util.List;

/** 422: a well-formed request with a value that breaks a rule; names the field. */
public final class InvalidField extends Problem {
    public InvalidField(String field, String message) {
        super(422, "invalid-field", "Invalid value", field + ": " + message, List.of(new FieldError(field, message)), null);
    }
}
