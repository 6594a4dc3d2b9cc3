package babble.platform.problem;

import java.util.List;

/** 503: something this answer needs is down or slow; the client may retry after a while. */
public final class Unavailable extends Problem {
    public Unavailable(String detail) {
        this(detail, 1);
    }

    public Unavailable(String detail, int retryAfterSeconds) {
        super(503, "unavailable", "Service unavailable", detail, List.of(), retryAfterSeconds);
    }
}
