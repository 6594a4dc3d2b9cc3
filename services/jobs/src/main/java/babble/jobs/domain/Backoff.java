package babble.jobs.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter between attempts: {@code base * 2^(attempt-1)}, capped, then a random point
 * in its upper half ("equal jitter"), so jobs that failed together do not all come back at the same moment.
 */
public record Backoff(Duration base, Duration max) {

    public Duration after(int attempt, RandomGenerator random) {
        long cap = max.toMillis();
        long exponential = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long delay = exponential <= 0 || exponential > cap ? cap : exponential;
        return Duration.ofMillis(delay / 2 + random.nextLong(delay / 2 + 1));
    }
}
