package babble.platform.problem;

/** 401 Not authenticated. */
public final class Unauthorized extends Problem {
    public Unauthorized(String detail) {
        super(401, "unauthorized", "Not authenticated", detail);
    }
}
