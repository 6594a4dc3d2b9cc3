package babble.platform.problem;

import java.util.List;

/** 429: the caller is over its rate limit. */
public final class TooManyRequests extends Problem {
    public TooManyRequests(String detail, int retryAfterSeconds) {
        super(429, "rate-limited", "Too many requests", detail, List.of(), retryAfterSeconds);
    }
}
