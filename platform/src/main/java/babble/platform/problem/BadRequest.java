package babble.platform.problem;

/** 400 Malformed request. */
public final class BadRequest extends Problem {
    public BadRequest(String detail) {
        super(400, "bad-request", "Malformed request", detail);
    }
}
