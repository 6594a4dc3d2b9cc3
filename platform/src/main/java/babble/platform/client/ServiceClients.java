package babble.platform.client;

import babble.platform.ServiceDirectory;
import babble.platform.identity.IdentityCodec;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one {@link ServiceClient} per target with the shared policy: timeout, retries, breaker, bulkhead. */
public final class ServiceClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceClients.class);
    private final ServiceDirectory directory;
    private final IdentityCodec codec;
    private final Duration timeout;
    private final int maxConcurrent;
    private final Transport network;
    private final Transport local = new LocalTransport();
    private final CircuitBreakerRegistry breakers;
    private final Map<String, ServiceClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();
    private final Map<String, VersionRouter> routers = new ConcurrentHashMap<>();
    private final String caller;
    private final VersionEjection ejection;
    private final Consumer<VersionChange> versionChanges;
    private final MeterRegistry meters;

    public ServiceClients(ServiceDirectory directory, IdentityCodec codec, Duration timeout, int maxConcurrent,
                          MeterRegistry meters) {
        this(directory, codec, timeout, maxConcurrent, meters, "caller", VersionEjection.DEFAULT, change -> { });
    }

    /**
     * Clients of service {@code caller}; {@code versionChanges} hears when a version of a target is taken out of
     * rotation or put back (after this class has logged and counted it).
     */
    public ServiceClients(ServiceDirectory directory, IdentityCodec codec, Duration timeout, int maxConcurrent,
                          MeterRegistry meters, String caller, VersionEjection ejection,
                          Consumer<VersionChange> versionChanges) {
        this.caller = caller;
        this.ejection = ejection;
        this.versionChanges = versionChanges;
        this.meters = meters;
        this.directory = directory;
        this.codec = codec;
        this.timeout = timeout;
        this.maxConcurrent = maxConcurrent;
        this.network = new NetworkTransport(maxConcurrent);
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(3))
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordExceptions(IOException.class)
                // A 503 is an answer, given at once, by a target that sheds load or lacks a dependency for a moment
                // (its database pool busy, say): counting it opened the breaker for every call after a blip of a
                // quarter of a second (a chaos run lost most chat posts so while an unrelated service restarted).
                // What the breaker spares callers is waiting on a target that does not answer: timeouts, refused
                // connections, and answers that say it is broken (500, 502, 504).
                .recordResult(result -> result instanceof ServiceResponse r && r.status() >= 500 && r.status() != 503)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    /** The client for {@code target}; fails at once (naming the setting) when its address is unknown. */
    public ServiceClient to(String target) {
        return to(target, timeout);
    }

    /** The client for {@code target} with its own per-call timeout (the breaker and bulkhead are shared). */
    public ServiceClient to(String target, Duration callTimeout) {
        directory.url(target); // resolve now so a missing BABBLE_<TARGET>_URL fails at start, not at first call
        return clients.computeIfAbsent(target + "@" + callTimeout.toMillis(), key -> newClient(target, callTimeout));
    }

    private ServiceClient newClient(String t, Duration callTimeout) {
        var versions = directory.versions(t);
        VersionRouter router = versions.isEmpty() ? null
                : routers.computeIfAbsent(t, target -> new VersionRouter(caller, target, versions, ejection, this::versionChanged));
        return new ServiceClient(t, directory, router, network, local, codec, callTimeout,
                breakers.circuitBreaker(t),
                Retry.of(t, RetryConfig.<ServiceResponse>custom()
                        .maxAttempts(3)
                        .intervalFunction(io.github.resilience4j.core.IntervalFunction.ofExponentialBackoff(50, 2))
                        .retryExceptions(IOException.class)
                        .retryOnResult(r -> r.status() == 502 || r.status() == 503 || r.status() == 504)
                        .failAfterMaxAttempts(false)
                        .build()),
                bulkheads.computeIfAbsent(t, name -> Bulkhead.of(name, BulkheadConfig.custom()
                        .maxConcurrentCalls(maxConcurrent)
                        .maxWaitDuration(Duration.ofMillis(100))
                        .build())));
    }

    private void versionChanged(VersionChange change) {
        if (change.inRotation()) {
            log.info("{} {} is back in rotation for {}: {}", change.service(), change.version(), caller, change.reason());
        } else {
            log.warn("{} {} is out of rotation for {}: {}", change.service(), change.version(), caller, change.reason());
        }
        meters.counter("babble.versions.changes", "target", change.service(), "version", change.version(),
                "change", change.inRotation() ? "restored" : "ejected").increment();
        try {
            versionChanges.accept(change);
        } catch (RuntimeException e) {
            log.warn("could not report that {} {} changed rotation: {}", change.service(), change.version(), e.toString());
        }
    }

    @Override
    public void close() {
        network.close();
        local.close();
    }
}
