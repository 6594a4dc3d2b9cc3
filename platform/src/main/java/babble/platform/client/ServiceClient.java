package babble.platform.client;

import babble.platform.http.HttpServer;
import babble.platform.identity.Identity;
import babble.platform.identity.IdentityCodec;
import babble.platform.problem.Unavailable;
import babble.platform.telemetry.ServiceTracer;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import babble.platform.ServiceDirectory;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * How a service calls another: every call has a timeout, passes a bulkhead (bounded concurrency) and a circuit
 * breaker, and is retried with backoff only when it is safe to repeat. The caller's identity travels signed;
 * the request id travels too. A target that is down, slow or failing is answered as 503 quickly, never a hang.
 * A target in this JVM is called through its server's in-memory connector, any other over the network, where
 * its versions share the calls by weight ({@link VersionRouter}) and a request's version pins are honoured.
 */
public final class ServiceClient {
    private final String target;
    private final ServiceDirectory directory;
    private final Transport network;
    private final Transport local;
    private final IdentityCodec codec;
    private final Duration timeout;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Bulkhead bulkhead;
    private final VersionRouter versions; // null when the target runs in this JVM
    private final boolean stickyByUser;

    ServiceClient(String target, ServiceDirectory directory, VersionRouter versions, Transport network, Transport local,
                  IdentityCodec codec, Duration timeout, CircuitBreaker breaker, Retry retry, Bulkhead bulkhead) {
        this(target, directory, versions, network, local, codec, timeout, breaker, retry, bulkhead, false);
    }

    private ServiceClient(String target, ServiceDirectory directory, VersionRouter versions, Transport network,
                          Transport local, IdentityCodec codec, Duration timeout, CircuitBreaker breaker, Retry retry,
                          Bulkhead bulkhead, boolean stickyByUser) {
        this.target = target;
        this.directory = directory;
        this.versions = versions;
        this.network = network;
        this.local = local;
        this.codec = codec;
        this.timeout = timeout;
        this.breaker = breaker;
        this.retry = retry;
        this.bulkhead = bulkhead;
        this.stickyByUser = stickyByUser;
    }

    /**
     * The same client (same breaker, bulkhead and connections), except that with replicas a user's calls all go
     * to one replica while it answers, in every caller: for replicas that each keep their own copy fed by events
     * (search's indexes), so what one user sees never goes back to an older state when the next call lands on a
     * replica that is further behind. Calls without a user still go round the replicas.
     */
    public ServiceClient stickyByUser() {
        return new ServiceClient(target, directory, versions, network, local, codec, timeout, breaker, retry, bulkhead,
                true);
    }

    public String target() {
        return target;
    }

    /** Sends the request; answers whatever the target answered, or throws {@link Unavailable}. */
    public ServiceResponse send(ServiceRequest request) {
        // Each attempt is a client span in the caller's trace (none outside one).
        Callable<ServiceResponse> call = () -> ServiceTracer.traceCall(target, request.method(), request.path(),
                () -> execute(request), ServiceResponse::status);
        call = Bulkhead.decorateCallable(bulkhead, call);
        if (versions == null || !versions.judgesVersions()) { // else each version has its own breaker
            call = CircuitBreaker.decorateCallable(breaker, call);
        }
        if (request.retryable()) {
            call = Retry.decorateCallable(retry, call);
        }
        try {
            return call.call();
        } catch (CallNotPermittedException e) {
            throw new Unavailable(target + " is unavailable (circuit open)", 2);
        } catch (BulkheadFullException e) {
            throw new Unavailable(target + " is overloaded", 1);
        } catch (IOException e) {
            throw new Unavailable(target + " is unavailable: " + e.getClass().getSimpleName(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(target + " call was interrupted", 1);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Unavailable(target + " is unavailable: " + e, 1);
        }
    }

    public <T> T get(String path, Identity as, Class<T> type) {
        return send(ServiceRequest.get(path, as)).as(type);
    }

    public <T> T post(String path, Identity as, Object body, Class<T> type) {
        return send(ServiceRequest.post(path, as, body)).as(type);
    }

    public <T> T put(String path, Identity as, Object body, Class<T> type) {
        return send(ServiceRequest.put(path, as, body)).as(type);
    }

    private ServiceResponse execute(ServiceRequest request) throws IOException, InterruptedException {
        var headers = new HashMap<String, String>(4 + request.headers().size());
        headers.put(IdentityCodec.HEADER, codec.sign(request.identity()));
        String requestId = MDC.get("request_id");
        if (requestId != null) {
            headers.put(HttpServer.REQUEST_ID_HEADER, requestId);
        }
        headers.putAll(request.headers());
        ServiceTracer.injectCurrent(headers); // traceparent: the callee's server span joins this call's trace
        String pins = MDC.get(VersionPins.MDC_KEY);
        if (pins != null) {
            headers.put(VersionPins.HEADER, pins); // a pin holds along the whole request path
        }
        if (versions == null) { // the target runs in this JVM
            ServiceDirectory.Route route = directory.local(target);
            return (route.local() != null ? local : network).exchange(target, new Transport.Outgoing(route, request.method(), request.path(), headers,
                    request.body(), request.contentType()), timeout);
        }
        VersionRouter.Pick pick = versions.pick(VersionPins.versionFor(pins, target));
        if (pick == null) {
            throw new Unavailable(target + " is unavailable (every version is out of rotation)", 2);
        }
        // With replicas, a replica that refuses the connection (stopped, restarting) is skipped for the next one:
        // nothing reached it, so even a call that is not safe to repeat may go elsewhere.
        boolean recorded = false;
        try {
            for (int tried = 1; ; tried++) {
                ServiceDirectory.Route route = stickyByUser && request.identity() != null && request.identity().hasUser()
                        ? pick.instanceFor(request.identity().userId().toString(), tried)
                        : pick.nextInstance();
                var outgoing = new Transport.Outgoing(route, request.method(), request.path(), headers, request.body(),
                        request.contentType());
                try {
                    ServiceResponse response = network.exchange(target, outgoing, timeout);
                    pick.answered(response);
                    recorded = true;
                    return response;
                } catch (java.net.ConnectException e) {
                    if (tried >= pick.instances()) {
                        pick.failed(e);
                        recorded = true;
                        throw e;
                    }
                } catch (IOException e) {
                    // A reused connection to a replica that just stopped fails without an answer: a call that is safe
                    // to repeat goes to the next replica at once (before the breaker counts it against the service).
                    if (!request.retryable() || tried >= pick.instances()) {
                        pick.failed(e);
                        recorded = true;
                        throw e;
                    }
                }
            }
        } finally {
            if (!recorded) {
                pick.abandoned();
            }
        }
    }
}
