package babble.platform;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.LocalConnector;

/**
 * Where each service answers. A {@code BABBLE_<SERVICE>_URL} setting wins (a call goes over the network);
 * otherwise the service started in this JVM (all-in-one), which callers reach through its server's in-memory
 * connector: the same HTTP request and server, without a socket.
 */
public final class ServiceDirectory {
    /** How to reach a service: its URL, and its in-memory connector when it runs in this JVM (else null). */
    public record Route(URI url, LocalConnector local) {
    }

    private final Config config;
    private final Map<String, Route> started = new ConcurrentHashMap<>();
    private final Map<String, Replicas> configured = new ConcurrentHashMap<>();

    public ServiceDirectory(Config config) {
        this.config = config;
    }

    public void register(String service, URI url) {
        register(service, url, null);
    }

    public void register(String service, URI url, LocalConnector local) {
        started.put(service, new Route(url, local));
    }

    public URI url(String service) {
        return route(service).url();
    }

    /**
     * Where to send the next call to {@code service}. A setting may list several replicas
     * ({@code BABBLE_JOBS_URL=http://a:8111,http://b:8111}): calls go round them in turn, so a retried call
     * (one that is safe to repeat) goes to the next replica when one is down.
     */
    public Route route(String service) {
        String key = Config.normalize(service) + "_URL";
        var setting = config.optional(key);
        if (setting.isPresent()) {
            return configured.computeIfAbsent(setting.get(), value -> replicas(key, value)).next();
        }
        Route local = started.get(service);
        if (local == null) {
            throw new ConfigException("BABBLE_" + key + " is not set and " + service + " is not running in this process");
        }
        return local;
    }

    private Replicas replicas(String key, String value) {
        var routes = java.util.Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty())
                .map(v -> new Route(parse(key, v), null)).toList();
        if (routes.isEmpty()) {
            throw new ConfigException("BABBLE_" + key + " lists no URL");
        }
        return new Replicas(routes);
    }

    private URI parse(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(config.nameOf(key) + " must be URLs like http://host:port (comma-separated for "
                + "replicas), got '" + value + "'");
    }

    /**
     * How many replicas a setting lists for {@code service} (1 for a service in this JVM): a call that cannot
     * connect to one tries the next, up to this many.
     */
    public int replicas(String service) {
        var setting = config.optional(Config.normalize(service) + "_URL");
        return setting.map(v -> configured.computeIfAbsent(v, value -> replicas(Config.normalize(service) + "_URL", value))
                .routes().size()).orElse(1);
    }

    /** A service's replicas, taken in turn. */
    private record Replicas(java.util.List<Route> routes, java.util.concurrent.atomic.AtomicInteger turn) {
        Replicas(java.util.List<Route> routes) {
            this(routes, new java.util.concurrent.atomic.AtomicInteger());
        }

        Route next() {
            return routes.size() == 1 ? routes.getFirst() : routes.get(Math.floorMod(turn.getAndIncrement(), routes.size()));
        }
    }
}
