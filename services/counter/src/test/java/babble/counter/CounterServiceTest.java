package babble.counter;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The counter on its real store: concurrent visits are each counted once. */
class CounterServiceTest {
    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new CounterService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static long visit() {
        return harness.call("counter", "GET", "/api/v1/counter", null, Identity.ofService("gateway")).json().get("visits").asLong();
    }

    @Test
    void everyVisitCountsOnceEvenWhenManyArriveTogether() throws Exception {
        long before = visit();
        Set<Long> answers = ConcurrentHashMap.newKeySet();

        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 100; i++) {
                pool.submit(() -> answers.add(visit()));
            }
        }

        assertThat(answers).hasSize(100); // each visit saw its own number
        assertThat(visit()).isEqualTo(before + 101);
        assertThat(new HashSet<>(answers)).allMatch(n -> n > before && n <= before + 100);
    }
}
