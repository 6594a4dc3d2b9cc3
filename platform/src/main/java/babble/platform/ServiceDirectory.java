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

    public Route route(String service) {
        String key = Config.normalize(service) + "_URL";
        var configured = config.optional(key);
        if (configured.isPresent()) {
            return new Route(config.uri(key, configured.get()), null);
        }
        Route local = started.get(service);
        if (local == null) {
            throw new ConfigException("BABBLE_" + key + " is not set and " + service + " is not running in this process");
        }
        return local;
    }
}
