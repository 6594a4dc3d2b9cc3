package babble.platform.problem;

/** 404: the thing named does not exist (or the caller may not know it exists). */
public final class NotFound extends Problem {
    public NotFound(String detail) {
        super(404, "not-found", "Not found", detail);
    }

    public static NotFound of(String what, Object id) {
        return new NotFound(what + " " + id + " does not exist");
    }
}
