package babble.platform.problem;

/** 409 Conflict. */
public final class Conflict extends Problem {
    public Conflict(String detail) {
        super(409, "conflict", "Conflict", detail);
    }
}
