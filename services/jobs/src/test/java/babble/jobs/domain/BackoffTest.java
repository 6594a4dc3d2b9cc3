package babble.jobs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void eachAttemptWaitsInTheUpperHalfOfADoublingCappedDelay() {
        var random = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.after(1, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(backoff.after(3, random)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(backoff.after(10, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
            assertThat(backoff.after(1_000, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }

    @Test
    void theJitterSpreadsJobsThatFailedTogether() {
        var random = new SplittableRandom(11);
        var distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> backoff.after(4, random)).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }
}
