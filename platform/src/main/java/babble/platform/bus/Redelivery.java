package babble.platform.bus;

import babble.platform.db.Sql;
import java.time.Duration;

/**
 * When a durable consumer's handler fails: back off (100 ms doubling to 5 s) and deliver again. Failures of
 * infrastructure (a database that cannot be reached) are retried for as long as it takes; any other failure
 * is given {@link #MAX_ATTEMPTS} attempts, then the event is set aside in the log so one bad event cannot stall
 * a consumer forever.
 */
public final class Redelivery {
    public static final int MAX_ATTEMPTS = 10;

    private Redelivery() {
    }

    public static Duration backoff(int attempt) {
        long millis = Math.min(5_000, 100L << Math.min(attempt - 1, 6));
        return Duration.ofMillis(millis);
    }

    public static boolean shouldGiveUp(int attempt, Throwable failure) {
        return attempt >= MAX_ATTEMPTS && !Sql.isConnectionFailure(failure);
    }
}
