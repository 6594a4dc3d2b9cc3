package babble.gateway.domain;

import java.time.Duration;

/**
 * How a room's live channel retries reads of the messages store that failed: exponential backoff from
 * {@code first} up to {@code max}; a joining socket is told to subscribe again once {@code giveUpAfter} passed.
 */
record Retries(Duration first, Duration max, Duration giveUpAfter) {
    static final Retries DEFAULT = new Retries(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(30));

    Duration delay(int failures) {
        long millis = first.toMillis() << Math.min(failures, 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    boolean gaveUp(long firstTriedNanos) {
        return System.nanoTime() - firstTriedNanos >= giveUpAfter.toNanos();
    }
}
