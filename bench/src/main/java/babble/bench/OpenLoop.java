package babble.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: requests are sent on a fixed schedule whatever the server does, and each one's latency is
 * counted from when it was scheduled, not from when it could be sent. A server that stalls is charged for every
 * request that waited behind the stall (no coordinated omission). Requests never wait for answers; at most
 * {@code maxOutstanding} may be in flight, beyond which they count as errors.
 */
public final class OpenLoop {
    private OpenLoop() {
    }

    /**
     * One run's figures: what was asked, what was achieved, the latency distribution, and (when the caller measured
     * it) the server processes' CPU time per successful request, in milliseconds (0 when not measured).
     */
    public record Result(double offeredPerSecond, double achievedPerSecond, Latency latency, double serverCpuMsPerRequest) {

        /** This result with the server CPU seconds spent during it, spread over the successful requests. */
        public Result withServerCpu(double cpuSeconds) {
            long ok = latency.count() - latency.errors();
            return new Result(offeredPerSecond, achievedPerSecond, latency, ok > 0 ? Math.round(cpuSeconds * 1e6 / ok) / 1e3 : 0);
        }
    }

    /** {@link #run} while reading the servers' CPU time before and after. */
    public static Result measured(java.util.List<ProcessHandle> servers, double perSecond, Duration duration, int maxOutstanding,
                                  Request request) {
        double before = Machine.cpuSeconds(servers);
        Result result = run(perSecond, duration, maxOutstanding, request);
        return result.withServerCpu(Machine.cpuSeconds(servers) - before);
    }

    /** A request that completes true on success; {@code scheduledNanos} lets it measure end-to-end itself. */
    @FunctionalInterface
    public interface Request {
        CompletableFuture<Boolean> send(int index, long scheduledNanos);
    }

    public static Result run(double perSecond, Duration duration, int maxOutstanding, Request request) {
        var recorder = Latency.recorder();
        var errors = new AtomicLong();
        var completed = new AtomicLong();
        var outstanding = new AtomicLong();
        long interval = (long) (1e9 / perSecond);
        int total = (int) Math.max(1, Math.round(perSecond * duration.toNanos() / 1e9));
        long start = System.nanoTime();
        var lastCompletion = new AtomicLong(start);
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (outstanding.get() >= maxOutstanding) {
                errors.incrementAndGet();
                continue;
            }
            outstanding.incrementAndGet();
            CompletableFuture<Boolean> future;
            try {
                future = request.send(i, scheduled);
            } catch (RuntimeException e) {
                future = CompletableFuture.completedFuture(false);
            }
            future.whenComplete((ok, failure) -> {
                long now = System.nanoTime();
                recorder.recordValue(Math.max(1_000, now - scheduled));
                if (failure != null || !Boolean.TRUE.equals(ok)) {
                    errors.incrementAndGet();
                }
                completed.incrementAndGet();
                lastCompletion.accumulateAndGet(now, Math::max);
                outstanding.decrementAndGet();
            });
        }
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (outstanding.get() > 0 && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(1_000_000);
        }
        errors.addAndGet(outstanding.get()); // never answered
        double seconds = Math.max(1e-9, (lastCompletion.get() - start) / 1e9);
        long ok = completed.get() - errors.get();
        return new Result(perSecond, Math.max(0, ok) / seconds, Latency.of(recorder.getIntervalHistogram(), errors.get()), 0);
    }
}
