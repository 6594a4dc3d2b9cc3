package babble.platform.client;

import babble.platform.ServiceDirectory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Splits one caller's calls to a target between the versions its setting lists, by weight, with smooth weighted
 * round-robin (nginx's): 90/10 sends exactly one call in ten to the second version, evenly spread rather than in
 * bursts, so a canary's share is what the setting says from the first calls on.
 *
 * <p>With two versions or more, each version has its own circuit breaker over a sliding window of its outcomes
 * (a 5xx answer or no answer is a failure): when its failure rate passes the threshold after a minimum number
 * of calls, or after several failures in a row, the version is out of rotation and its share goes to the others;
 * after a while a few calls probe it, and it returns when they succeed. These breakers replace the service-wide
 * one of a single-version target: when every version is out, the call fails at once ({@link #pick} answers null).
 * A pinned version is used whatever its weight or state, and its calls do not count: pinning is for looking at one
 * version on purpose.
 */
final class VersionRouter {
    private final List<Entry> entries;
    private final long[] current; // smooth weighted round-robin: each version's running credit, guarded by this
    private final long totalWeight;

    VersionRouter(String caller, String target, List<ServiceDirectory.Version> versions, VersionEjection ejection,
                  Consumer<VersionChange> changes) {
        boolean judged = versions.size() > 1;
        this.entries = versions.stream().map(v -> new Entry(v, judged ? breaker(caller, target, v, ejection, changes) : null,
                ejection.failuresInARow())).toList();
        this.current = new long[entries.size()];
        this.totalWeight = versions.stream().mapToLong(ServiceDirectory.Version::weight).sum();
    }

    /** True when each version is judged by its own breaker (two versions or more). */
    boolean judgesVersions() {
        return entries.getFirst().breaker != null;
    }

    /**
     * The version for the next call: {@code pinned} when the target has it, else the next by weight in rotation;
     * null when every version is out of rotation.
     */
    Pick pick(String pinned) {
        if (pinned != null) {
            for (Entry entry : entries) {
                if (entry.version.name().equals(pinned)) {
                    return new Pick(entry, false);
                }
            }
        }
        Entry next = nextByWeight();
        if (next.breaker == null || next.breaker.tryAcquirePermission()) {
            return new Pick(next, next.breaker != null);
        }
        // Out of rotation: its share goes to the heaviest version that is in.
        var others = entries.stream().filter(e -> e != next && e.version.weight() > 0)
                .sorted(Comparator.comparingInt((Entry e) -> e.version.weight()).reversed()).toList();
        for (Entry other : others) {
            if (other.breaker.tryAcquirePermission()) {
                return new Pick(other, true);
            }
        }
        return null;
    }

    private synchronized Entry nextByWeight() {
        int best = -1;
        for (int i = 0; i < entries.size(); i++) {
            int weight = entries.get(i).version.weight();
            if (weight == 0) {
                continue;
            }
            current[i] += weight;
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= totalWeight;
        return entries.get(best);
    }

    private static CircuitBreaker breaker(String caller, String target, ServiceDirectory.Version version, VersionEjection ejection,
                                          Consumer<VersionChange> changes) {
        var breaker = CircuitBreaker.of(target + "/" + version.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(ejection.window())
                .minimumNumberOfCalls(ejection.minimumCalls())
                .failureRateThreshold(ejection.failureRatePercent())
                .waitDurationInOpenState(ejection.probeAfter())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordExceptions(IOException.class)
                .recordResult(result -> result instanceof ServiceResponse r && r.status() >= 500)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            var to = event.getStateTransition().getToState();
            var metrics = breaker.getMetrics();
            if (to == CircuitBreaker.State.OPEN) {
                String reason = event.getStateTransition().getFromState() == CircuitBreaker.State.HALF_OPEN
                        ? "a probe failed"
                        : metrics.getNumberOfBufferedCalls() >= ejection.minimumCalls()
                                && metrics.getFailureRate() >= ejection.failureRatePercent()
                                ? String.format("%.0f%% of the last %d calls failed", metrics.getFailureRate(),
                                        metrics.getNumberOfBufferedCalls())
                                : ejection.failuresInARow() + " calls in a row failed";
                changes.accept(new VersionChange(caller, target, version.name(), false, reason));
            } else if (to == CircuitBreaker.State.CLOSED) {
                changes.accept(new VersionChange(caller, target, version.name(), true, "probes succeeded"));
            }
        });
        return breaker;
    }

    private static final class Entry {
        final ServiceDirectory.Version version;
        final CircuitBreaker breaker; // null with a single version: there is nothing to fall back on
        final int failuresInARowToEject;
        final AtomicInteger failuresInARow = new AtomicInteger();
        final AtomicInteger turn = new AtomicInteger();

        Entry(ServiceDirectory.Version version, CircuitBreaker breaker, int failuresInARowToEject) {
            this.version = version;
            this.breaker = breaker;
            this.failuresInARowToEject = failuresInARowToEject;
        }

        void outcome(boolean failed) {
            if (!failed) {
                failuresInARow.set(0);
            } else if (failuresInARow.incrementAndGet() >= failuresInARowToEject
                    && breaker.getState() == CircuitBreaker.State.CLOSED) {
                failuresInARow.set(0);
                breaker.transitionToOpenState();
            }
        }
    }

    /**
     * The version one call goes to: its instances in turn, and where the call's outcome is recorded. A counted
     * pick holds one of the breaker's permissions, so exactly one of {@link #answered}, {@link #failed} or
     * {@link #abandoned} must follow.
     */
    final class Pick {
        private final Entry entry;
        private final boolean counted;
        private final long started = System.nanoTime();

        private Pick(Entry entry, boolean counted) {
            this.entry = entry;
            this.counted = counted;
        }

        String version() {
            return entry.version.name();
        }

        int instances() {
            return entry.version.routes().size();
        }

        ServiceDirectory.Route nextInstance() {
            var routes = entry.version.routes();
            return routes.size() == 1 ? routes.getFirst() : routes.get(Math.floorMod(entry.turn.getAndIncrement(), routes.size()));
        }

        /**
         * The instance for the {@code tried}-th attempt (from 1) of a call bound to {@code key}: the same one for
         * the same key in every caller, while the instances are the same; the next ones in turn when it refuses.
         */
        ServiceDirectory.Route instanceFor(String key, int tried) {
            var routes = entry.version.routes();
            return routes.get(Math.floorMod(key.hashCode() + tried - 1, routes.size()));
        }

        void answered(ServiceResponse response) {
            if (counted) {
                entry.breaker.onResult(System.nanoTime() - started, TimeUnit.NANOSECONDS, response);
                entry.outcome(response.status() >= 500);
            }
        }

        void failed(IOException error) {
            if (counted) {
                entry.breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, error);
                entry.outcome(true);
            }
        }

        /** The call ended without an outcome that says anything about the version (interrupted, refused here). */
        void abandoned() {
            if (counted) {
                entry.breaker.releasePermission();
            }
        }
    }
}
