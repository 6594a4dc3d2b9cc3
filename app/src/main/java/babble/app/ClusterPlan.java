package babble.app;

import babble.app.ProcessCluster.Canary;
import babble.app.ProcessCluster.Part;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a deployment of one process (or container) per service runs: every part with its port, and the settings they
 * share (PostgreSQL, NATS, Redis, the internal key, where each service is reached). The same plan in processes and
 * containers mode, so both give the services the same settings.
 */
record ClusterPlan(Map<String, Part> parts, Map<String, String> environment) {

    /**
     * Checks the servers are reachable and gives every part its port. Gateways listen on {@code gatewayPort},
     * {@code gatewayPort}+1, ...; {@code replicas} names services run more than once (jobs, search).
     */
    static ClusterPlan of(Config config, int gatewayPort, int gateways, Map<String, Integer> replicas, String internalKey) {
        String postgres = config.string("POSTGRES_URL", "postgresql://127.0.0.1:5432");
        String nats = config.string("NATS_URL", "nats://127.0.0.1:4222");
        String redis = config.string("REDIS_URL", "redis://127.0.0.1:6379");
        reachable("PostgreSQL", "BABBLE_POSTGRES_URL", postgres, 5432);
        reachable("NATS", "BABBLE_NATS_URL", nats, 4222);
        reachable("Redis", "BABBLE_REDIS_URL", redis, 6379);

        var canaries = Canary.parse(config);
        var parts = new LinkedHashMap<String, Part>();
        var taken = new HashSet<Integer>(); // the OS may offer a port it just offered again: never twice
        for (int i = 0; i < gateways; i++) {
            taken.add(gatewayPort + i);
        }
        for (var entry : Catalog.entries()) {
            if (entry.name().equals("gateway")) {
                for (int i = 1; i <= gateways; i++) {
                    String name = i == 1 ? "gateway" : "gateway-" + i;
                    parts.put(name, new Part(name, "gateway", gatewayPort + i - 1));
                }
            } else if (replicas.containsKey(entry.name())) {
                // Replicas: jobs processes share one queue (competing workers), search processes each keep their
                // own index; every one also serves the service's API, and callers take them in turn.
                for (int i = 1; i <= replicas.get(entry.name()); i++) {
                    String name = i == 1 ? entry.name() : entry.name() + "-" + i;
                    parts.put(name, new Part(name, entry.name(), freePort(taken)));
                }
            } else {
                parts.put(entry.name(), new Part(entry.name(), entry.name(), freePort(taken)));
            }
            Canary canary = canaries.get(entry.name());
            if (canary != null) {
                // A second version beside the first, on the same store and bus consumers: callers split their
                // calls by the weights below and may pin either (API.md "Versions").
                String name = entry.name() + "-" + canary.version();
                parts.put(name, new Part(name, entry.name(), freePort(taken),
                        Map.of("BABBLE_" + Config.normalize(entry.name()) + "_VERSION", canary.version())));
            }
        }
        var env = new HashMap<>(config.all()); // the operator's own BABBLE_* settings pass through
        env.put("BABBLE_STORE", "postgres");
        env.put("BABBLE_POSTGRES_URL", postgres);
        env.put("BABBLE_BUS", "nats");
        env.put("BABBLE_NATS_URL", nats);
        env.put("BABBLE_REDIS_URL", redis);
        env.putIfAbsent("BABBLE_MQTT_BROKER_URL", "tcp://127.0.0.1:1883"); // the machine's broker (optional: see health)
        env.put("BABBLE_INTERNAL_KEY", internalKey);
        env.putIfAbsent("BABBLE_LOG_FORMAT", "text");
        env.put("BABBLE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        for (Part part : parts.values()) {
            if (!part.isGateway()) {
                // Replicas of one service (jobs) are listed together: callers take them in turn. With a canary,
                // each instance is named by its version.
                Canary canary = canaries.get(part.service());
                String version = canary == null ? "" : part.settings().isEmpty() ? canary.mainVersion() + "@" : canary.version() + "@";
                env.merge("BABBLE_" + Config.normalize(part.service()) + "_URL", version + "http://127.0.0.1:" + part.port(),
                        (first, more) -> first + "," + more);
            }
        }
        canaries.values().forEach(c -> env.put("BABBLE_" + Config.normalize(c.service()) + "_WEIGHTS",
                c.mainVersion() + "=" + (100 - c.percent()) + "," + c.version() + "=" + c.percent()));
        return new ClusterPlan(parts, env);
    }

    private static void reachable(String what, String setting, String url, int defaultPort) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting + " is not a URL: '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(setting + " has no host: '" + url + "'");
        }
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 2_000);
        } catch (IOException e) {
            throw new ConfigException(what + " is not reachable at " + uri.getHost() + ":" + port + " (" + setting
                    + "): " + e.getMessage() + ". This mode needs PostgreSQL, NATS (with -js) and Redis.");
        }
    }

    /** A port free now and not among {@code taken} (which it joins). */
    private static int freePort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (var socket = new ServerSocket(0)) {
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port after 100 tries");
    }
}
