package babble.platform;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.LocalConnector;

/**
 * Where each service answers. A {@code BABBLE_<SERVICE>_URL} setting wins (a call goes over the network);
 * otherwise the service started in this JVM (all-in-one), which callers reach through its server's in-memory
 * connector: the same HTTP request and server, without a socket.
 *
 * <p>A setting may list several instances, each optionally named by the version it runs
 * ({@code BABBLE_QUOTES_URL=v1@http://a:8104,v1@http://b:8104,v2@http://c:8104}), and
 * {@code BABBLE_<SERVICE>_WEIGHTS=v1=90,v2=10} says how calls are split between versions (equal shares when not
 * set; weight 0: reached only when a request pins that version). The same settings serve every mode: processes
 * mode writes them, on Kubernetes they name each version's Service.
 */
public final class ServiceDirectory {
    /** How to reach one instance: its URL, its in-memory connector when it runs in this JVM (else null), its version. */
    public record Route(URI url, LocalConnector local, String version) {
    }

    /** One version of a service: its share of calls and the instances that run it (taken in turn). */
    public record Version(String name, int weight, List<Route> routes) {
    }

    /** What an instance without a version name in the setting is called (it answers with its own version). */
    public static final String UNNAMED = "";
    private static final Pattern VERSION_NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private final Config config;
    private final Map<String, Route> started = new ConcurrentHashMap<>();
    private final Map<String, List<Version>> configured = new ConcurrentHashMap<>();

    public ServiceDirectory(Config config) {
        this.config = config;
    }

    public void register(String service, URI url, LocalConnector local, String version) {
        started.put(service, new Route(url, local, version));
    }

    public URI url(String service) {
        var versions = versions(service);
        return versions.isEmpty() ? local(service).url() : versions.getFirst().routes().getFirst().url();
    }

    /** The service as it runs in this JVM; fails naming the setting when it does not and no setting says where. */
    public Route local(String service) {
        Route local = started.get(service);
        if (local == null) {
            throw new ConfigException("BABBLE_" + Config.normalize(service) + "_URL is not set and " + service
                    + " is not running in this process");
        }
        return local;
    }

    /**
     * The versions the settings list for {@code service}, each with its weight and instances, in the order the
     * setting first names them; empty when no setting names the service (it runs in this JVM: see {@link #local}).
     */
    public List<Version> versions(String service) {
        String key = Config.normalize(service) + "_URL";
        var setting = config.optional(key);
        if (setting.isEmpty()) {
            return List.of();
        }
        return configured.computeIfAbsent(service, s -> parse(service, key, setting.get()));
    }

    private List<Version> parse(String service, String key, String value) {
        var routes = new LinkedHashMap<String, List<Route>>();
        for (String entry : value.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            int at = item.indexOf('@');
            String version = at < 0 ? UNNAMED : item.substring(0, at);
            if (at >= 0 && !VERSION_NAME.matcher(version).matches()) {
                throw new ConfigException(config.nameOf(key) + ": '" + version + "' is not a version name (letters, "
                        + "digits, '.', '_' or '-', at most 32)");
            }
            routes.computeIfAbsent(version, v -> new ArrayList<>())
                    .add(new Route(uri(key, at < 0 ? item : item.substring(at + 1)), null, version));
        }
        if (routes.isEmpty()) {
            throw new ConfigException(config.nameOf(key) + " lists no URL");
        }
        var weights = weights(service, routes.keySet());
        var versions = new ArrayList<Version>();
        routes.forEach((name, list) -> versions.add(new Version(name, weights.getOrDefault(name, 1), List.copyOf(list))));
        if (versions.stream().allMatch(v -> v.weight() == 0)) {
            throw new ConfigException(config.nameOf(Config.normalize(service) + "_WEIGHTS")
                    + " gives every version weight 0: nothing would be called");
        }
        return List.copyOf(versions);
    }

    private Map<String, Integer> weights(String service, java.util.Set<String> versions) {
        String key = Config.normalize(service) + "_WEIGHTS";
        var setting = config.optional(key);
        var weights = new java.util.HashMap<String, Integer>();
        if (setting.isEmpty() || setting.get().isBlank()) {
            return weights;
        }
        for (String entry : setting.get().split(",")) {
            String[] pair = entry.strip().split("=", 2);
            int weight;
            try {
                weight = pair.length == 2 ? Integer.parseInt(pair[1].strip()) : -1;
            } catch (NumberFormatException e) {
                weight = -1;
            }
            if (weight < 0 || weight > 1_000_000) {
                throw new ConfigException(config.nameOf(key) + " must look like v1=90,v2=10 (weights 0 to 1000000), got '"
                        + setting.get() + "'");
            }
            if (!versions.contains(pair[0].strip())) {
                throw new ConfigException(config.nameOf(key) + " weighs version '" + pair[0].strip() + "', which "
                        + config.nameOf(Config.normalize(service) + "_URL") + " does not list (it lists " + versions + ")");
            }
            weights.put(pair[0].strip(), weight);
        }
        for (String version : versions) {
            if (!weights.containsKey(version)) {
                throw new ConfigException(config.nameOf(key) + " gives no weight to version '" + version + "'");
            }
        }
        return weights;
    }

    private URI uri(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(config.nameOf(key) + " must be URLs like http://host:port, each optionally after "
                + "its version (v2@http://host:port), comma-separated, got '" + value + "'");
    }
}
