package babble.platform.problem;

/** 403 Not allowed. */
public final class Forbidden extends Problem {
    public Forbidden(String detail) {
        super(403, "forbidden", "Not allowed", detail);
    }
}
