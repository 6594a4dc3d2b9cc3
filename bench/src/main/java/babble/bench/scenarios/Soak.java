package babble.bench.scenarios;

import babble.bench.Latency;
import babble.bench.OpenLoop;
import babble.bench.ProcessProbe;
import babble.bench.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A long run at half the capacity measured at its start ({@link Capacity}), under {@link MixedLoad}: chat
 * messages (half the requests), history reads, posts, comments, follows, hot listings and the bot, while live
 * sockets receive every room's messages. After 30 s of the mix unmeasured (settling), each interval its latency
 * is measured and the deployment is read (resident memory, heap after a full
 * collection, threads, file descriptors, database connections). It fails on any error, on any acknowledged
 * message not delivered exactly once to every socket of its room, on a process restarted, and on growth beyond
 * noise: the last third of the run compared with the first (the first interval, which warms the probe and the
 * sockets, left out).
 */
public final class Soak {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private Soak() {
    }

    /** One interval: its load's figures, then the deployment's reading at its end. */
    public record Sample(double atSeconds, double offeredPerSecond, double achievedPerSecond, Latency latency,
                         ProcessProbe.Reading reading, int databaseConnections) {
    }

    /**
     * A resource's first-third and last-third medians, the growth allowed, whether it stayed within, and whether
     * that decides the run (latency only in a full run: a short one on a shared machine is too noisy to judge).
     */
    public record Growth(String what, double first, double last, double allowed, boolean ok, boolean judged) {
    }

    public record Result(Duration duration, Duration interval, List<OpenLoop.Result> capacityProbe,
                         double capacityPerSecond, double ratePerSecond, List<Sample> samples, List<Growth> growth,
                         long acknowledgedMessages, int sockets, long expectedDeliveries, long missingDeliveries,
                         long duplicateDeliveries, int socketsClosed, int processesSeen, int processesAtEnd,
                         List<String> failures) {
    }

    public static Result run(Target target, Duration duration, Duration interval, boolean quick,
                             Supplier<List<ProcessHandle>> processes, IntSupplier databaseConnections) throws Exception {
        Capacity capacity = Capacity.measure(target, quick);
        double rate = capacity.perSecond() / 2;
        var samples = new ArrayList<Sample>();
        var failures = new ArrayList<String>();
        try (var load = MixedLoad.open(target); var probe = new ProcessProbe()) {
            probe.read(processes.get()); // attach before measuring: the agents' own threads are not growth
            // Settling, not measured: the mix at its rate until the saturating step's backlog (events the consumers
            // still apply, connections the pools still close) is gone and the mix's own paths are warm.
            long settle = Math.round(rate * SETTLE.toNanos() / 1e9);
            OpenLoop.run(rate, SETTLE, 20_000, (i, scheduled) -> load.request(i));
            long next = settle; // the mix's position, across intervals
            long began = System.nanoTime();
            int intervals = (int) Math.max(3, Math.ceil(duration.toNanos() / (double) interval.toNanos()));
            for (int n = 0; n < intervals; n++) {
                long base = next;
                next += Math.round(rate * interval.toNanos() / 1e9) + 1;
                OpenLoop.Result result = OpenLoop.run(rate, interval, 20_000, (i, scheduled) -> load.request(base + i));
                var reading = probe.read(processes.get());
                samples.add(new Sample((System.nanoTime() - began) / 1e9, rate, result.achievedPerSecond(),
                        result.latency(), reading, databaseConnections.getAsInt()));
                if (result.latency().errors() > 0) {
                    failures.add(result.latency().errors() + " requests failed in interval " + (n + 1));
                }
            }
            // Every acknowledged message, once to every socket of its room (deliveries may trail the last answers).
            long missing = load.awaitDeliveries(Duration.ofSeconds(20));
            if (missing > 0) {
                failures.add(missing + " deliveries of acknowledged messages missing");
            }
            if (load.duplicateDeliveries() > 0) {
                failures.add(load.duplicateDeliveries() + " messages delivered twice to one socket");
            }
            int closed = load.socketsClosed();
            if (closed > 0) {
                failures.add(closed + " sockets closed by the server");
            }
            int atEnd = processes.get().size();
            if (probe.processesSeen() > atEnd) {
                failures.add((probe.processesSeen() - atEnd) + " processes restarted during the run");
            }
            var growth = growth(samples, !quick);
            growth.stream().filter(g -> g.judged() && !g.ok()).forEach(g -> failures.add(String.format(
                    "%s grew from %.1f to %.1f (allowed up to %.1f)", g.what(), g.first(), g.last(), g.allowed())));
            return new Result(duration, interval, capacity.probe(), capacity.perSecond(), rate, samples, growth,
                    load.acknowledged(), load.sockets(), load.acknowledged() * MixedLoad.SOCKETS_PER_ROOM, missing,
                    load.duplicateDeliveries(), closed, probe.processesSeen(), atEnd, failures);
        }
    }

    /**
     * Growth beyond noise: the median of the last third of the samples against the median of the first third (the
     * first sample left out). The allowances are what a run without leaks showed here, with room for a shared
     * machine: caches that fill to their bound and heaps that size themselves grow, then stop.
     */
    static List<Growth> growth(List<Sample> samples, boolean judgeLatency) {
        var measured = samples.subList(1, samples.size());
        int third = Math.max(1, measured.size() / 3);
        var first = measured.subList(0, third);
        var last = measured.subList(measured.size() - third, measured.size());
        var out = new ArrayList<Growth>();
        out.add(check("heap after GC, MiB", first, last, s -> s.reading().heapAfterGcMiB(), 1.20, 32, true));
        out.add(check("resident memory, MiB", first, last, s -> s.reading().rssMiB(), 1.25, 128, true));
        out.add(check("threads", first, last, s -> s.reading().threads(), 1.05, 10, true));
        out.add(check("file descriptors", first, last, s -> s.reading().fileDescriptors(), 1.05, 20, true));
        if (samples.getFirst().databaseConnections() >= 0) {
            out.add(check("database connections", first, last, Sample::databaseConnections, 1.0, 5, true));
        }
        out.add(check("p99 latency, ms", first, last, s -> s.latency().p99(), 3.0, 50, judgeLatency));
        return out;
    }

    private static Growth check(String what, List<Sample> first, List<Sample> last, ToDoubleFunction<Sample> value,
                                double factor, double plus, boolean judged) {
        double before = median(first, value);
        double after = median(last, value);
        double allowed = before * factor + plus;
        return new Growth(what, before, after, allowed, after <= allowed, judged);
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] sorted = samples.stream().mapToDouble(value).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
