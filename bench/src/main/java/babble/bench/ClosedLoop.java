package babble.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A saturating load, as {@code wrk -c N} makes it: {@code connections} clients each send their next request as
 * soon as the previous one is answered, for a while. What it measures is the most a server answers per second at
 * that concurrency, and the latency it takes to do so; unlike {@link OpenLoop} it cannot say how latency behaves
 * below saturation, so the two are used for different questions.
 */
public final class ClosedLoop {
    private ClosedLoop() {
    }

    /** Runs the load for {@code duration}; {@code request} completes true on success. */
    public static OpenLoop.Result run(List<ProcessHandle> servers, int connections, Duration duration,
                                      Supplier<CompletableFuture<Boolean>> request) {
        var recorder = Latency.recorder();
        var errors = new AtomicLong();
        var ok = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        double cpuBefore = Machine.cpuSeconds(servers);
        long start = System.nanoTime();
        try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        boolean success;
                        try {
                            success = Boolean.TRUE.equals(request.get().get(60, TimeUnit.SECONDS));
                        } catch (Exception e) {
                            success = false;
                        }
                        recorder.recordValue(Math.max(1_000, System.nanoTime() - sent));
                        (success ? ok : errors).incrementAndGet();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = Machine.cpuSeconds(servers) - cpuBefore;
        var result = new OpenLoop.Result(0, ok.get() / seconds, Latency.of(recorder.getIntervalHistogram(), errors.get()), 0);
        return result.withServerCpu(cpu);
    }
}
