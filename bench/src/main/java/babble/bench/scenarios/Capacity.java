package babble.bench.scenarios;

import babble.bench.OpenLoop;
import babble.bench.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The capacity a long run takes half of: after a warm-up, chat posts at rising rates, and the highest rate taken
 * in full (achieved at least 90% of offered), without errors, at a p99 under a second. It stops at the first rate
 * that is not: a step far beyond saturation would leave a backlog that the measured run would pay for.
 */
record Capacity(List<OpenLoop.Result> probe, double perSecond) {

    static Capacity measure(Target target, boolean quick) throws InterruptedException {
        Duration warmup = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
        Requests.post(target, List.of(200), warmup);
        Requests.latest(target, 200, warmup.dividedBy(2));
        List<Integer> rates = quick ? List.of(250, 500, 1_000, 2_000) : List.of(250, 375, 500, 750, 1_000, 1_500, 2_000);
        Duration step = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
        var probe = new ArrayList<OpenLoop.Result>();
        double capacity = 100; // when even the first rate is too much
        for (int rate : rates) {
            OpenLoop.Result result = Requests.post(target, List.of(rate), step).getFirst();
            probe.add(result);
            if (result.latency().errors() > 0 || result.achievedPerSecond() < 0.9 * rate || result.latency().p99() >= 1_000) {
                break;
            }
            capacity = rate;
        }
        Thread.sleep(5_000); // what the last, saturating step left behind drains
        return new Capacity(probe, capacity);
    }
}
