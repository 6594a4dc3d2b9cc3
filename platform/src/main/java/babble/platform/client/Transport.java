package babble.platform.client;

import java.io.IOException;
import babble.platform.ServiceDirectory;
import java.time.Duration;
import java.util.Map;

/**
 * How one HTTP request reaches another service and its answer comes back: {@link NetworkTransport} over a socket,
 * {@link LocalTransport} into a server in this JVM. Everything around the exchange (identity, timeouts, retries,
 * breaker, bulkhead, metrics) is the same for both, in {@link ServiceClient}.
 */
interface Transport extends AutoCloseable {

    /** One request as it goes out: where the target is, the path with its query, headers, and an optional body. */
    record Outgoing(ServiceDirectory.Route route, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                    String contentType) {
    }

    /** Sends and waits up to {@code timeout} for the whole answer; an IOException when it cannot be had. */
    ServiceResponse exchange(String target, Outgoing request, Duration timeout) throws IOException, InterruptedException;

    @Override
    void close();
}
