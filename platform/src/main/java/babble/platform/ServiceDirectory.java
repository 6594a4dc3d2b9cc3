package babble.platform;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each service answers. A {@code BABBLE_<SERVICE>_URL} setting wins; otherwise the address a service
 * registered when it started in this JVM (all-in-one, where internal ports are picked by the OS).
 */
public final class ServiceDirectory {
    private final Config config;
    private final Map<String, URI> started = new ConcurrentHashMap<>();

    public ServiceDirectory(Config config) {
        this.config = config;
    }

    public void register(String service, URI url) {
        started.put(service, url);
    }

    public URI url(String service) {
        String key = Config.normalize(service) + "_URL";
        var configured = config.optional(key);
        if (configured.isPresent()) {
            return config.uri(key, configured.get());
        }
        URI local = started.get(service);
        if (local == null) {
            throw new ConfigException("BABBLE_" + key + " is not set and " + service + " is not running in this process");
        }
        return local;
    }
}
