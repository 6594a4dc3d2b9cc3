package babble.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import babble.bench.Latency;
import babble.bench.ProcessProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The soak's judgement of growth: a resource that keeps growing fails; one that fills up and stops, or wobbles, passes. */
class SoakGrowthTest {

    private static List<Soak.Sample> run(int intervals, IntToDoubleFunction heapAt, IntToDoubleFunction threadsAt) {
        var samples = new ArrayList<Soak.Sample>();
        for (int n = 0; n < intervals; n++) {
            var latency = new Latency(1_000, 0, 3, 8, 20, 40, 60, 4);
            samples.add(new Soak.Sample(60.0 * (n + 1), 100, 100, latency,
                    new ProcessProbe.Reading(1, 400, heapAt.applyAsDouble(n), (int) threadsAt.applyAsDouble(n), 300), 12));
        }
        return samples;
    }

    private static Soak.Growth named(List<Soak.Growth> growth, String what) {
        return growth.stream().filter(g -> g.what().startsWith(what)).findFirst().orElseThrow();
    }

    @Test
    void aHeapThatKeepsGrowingFails() {
        var growth = Soak.growth(run(10, n -> 100 + 15 * n, n -> 70), true);
        assertThat(named(growth, "heap").ok()).isFalse();
        assertThat(named(growth, "threads").ok()).isTrue();
    }

    @Test
    void aCacheThatFillsEarlyAndStopsPasses() {
        // the first interval (left out) is where a cache fills; then it only wobbles
        var growth = Soak.growth(run(10, n -> n == 0 ? 60 : 100 + (n % 2) * 6, n -> 70 + n % 3), true);
        assertThat(growth).allMatch(Soak.Growth::ok);
    }

    @Test
    void threadsThatLeakFailEvenWhenTheHeapIsFlat() {
        var growth = Soak.growth(run(9, n -> 100, n -> 70 + 4 * n), true);
        assertThat(named(growth, "threads").ok()).isFalse();
        assertThat(named(growth, "threads").last()).isGreaterThan(named(growth, "threads").first());
    }

    @Test
    void theFirstIntervalIsLeftOutAndThirdsAreComparedByTheirMedians() {
        // a spike in the first interval and one outlier in the last third do not decide
        var growth = Soak.growth(run(7, n -> n == 0 ? 900 : n == 6 ? 400 : 100, n -> 70), true);
        assertThat(named(growth, "heap").first()).isEqualTo(100);
        assertThat(named(growth, "heap").last()).isEqualTo(250); // median of 100 and 400
        assertThat(named(growth, "heap").ok()).isFalse();
    }

    @Test
    void latencyDecidesOnlyAFullRun() {
        var samples = new ArrayList<Soak.Sample>();
        for (int n = 0; n < 7; n++) {
            var latency = new Latency(1_000, 0, 3, 8, n < 4 ? 20 : 400, 500, 600, 4);
            samples.add(new Soak.Sample(60.0 * (n + 1), 100, 100, latency, new ProcessProbe.Reading(1, 400, 100, 70, 300), -1));
        }
        var full = named(Soak.growth(samples, true), "p99");
        var quick = named(Soak.growth(samples, false), "p99");
        assertThat(full.ok()).isFalse();
        assertThat(full.judged()).isTrue();
        assertThat(quick.ok()).isFalse();
        assertThat(quick.judged()).isFalse();
        assertThat(Soak.growth(samples, true)).noneMatch(g -> g.what().startsWith("database")); // embedded: none
    }
}
