package babble.app;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import babble.platform.http.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code babble up --mode processes}: every service in its own JVM ({@code babble service NAME}), on PostgreSQL,
 * NATS JetStream and Redis, with one or more gateways. Each process writes its full log to
 * {@code DATA/logs/<name>.log} and its warnings to the console, where they are prefixed with its name (or, with
 * {@code --log-console}, everything to the console); stopping the launcher stops them all, and they stop by
 * themselves if the launcher dies.
 */
final class ProcessCluster implements Controls, AutoCloseable {
    /** One process: which service it runs and on which port. */
    record Part(String name, String service, int port) {
        boolean isGateway() {
            return service.equals("gateway");
        }
    }

    private final Map<String, Part> parts;
    private final Map<String, String> environment;
    private final Path logDir;
    private final PrintStream out;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private ProcessCluster(Map<String, Part> parts, Map<String, String> environment, Path logDir, PrintStream out) {
        this.parts = parts;
        this.environment = environment;
        this.logDir = logDir;
        this.out = out;
    }

    /**
     * Checks the servers are reachable and gives every process its port; starts nothing yet. With a {@code logDir},
     * each process logs there (a file per process) and shows only warnings on the console.
     */
    static ProcessCluster plan(Config config, int gatewayPort, int gateways, int jobs, String internalKey, Path logDir,
                               PrintStream out) {
        String postgres = config.string("POSTGRES_URL", "postgresql://127.0.0.1:5432");
        String nats = config.string("NATS_URL", "nats://127.0.0.1:4222");
        String redis = config.string("REDIS_URL", "redis://127.0.0.1:6379");
        reachable("PostgreSQL", "BABBLE_POSTGRES_URL", postgres, 5432);
        reachable("NATS", "BABBLE_NATS_URL", nats, 4222);
        reachable("Redis", "BABBLE_REDIS_URL", redis, 6379);

        var parts = new LinkedHashMap<String, Part>();
        var taken = new java.util.HashSet<Integer>(); // the OS may offer a port it just offered again: never twice
        for (int i = 0; i < gateways; i++) {
            taken.add(gatewayPort + i);
        }
        for (var entry : Catalog.entries()) {
            if (entry.name().equals("gateway")) {
                for (int i = 1; i <= gateways; i++) {
                    String name = i == 1 ? "gateway" : "gateway-" + i;
                    parts.put(name, new Part(name, "gateway", gatewayPort + i - 1));
                }
            } else if (entry.name().equals("jobs")) {
                // Several jobs processes share one queue (competing workers), each also serving the jobs API.
                for (int i = 1; i <= jobs; i++) {
                    String name = i == 1 ? "jobs" : "jobs-" + i;
                    parts.put(name, new Part(name, "jobs", freePort(taken)));
                }
            } else {
                parts.put(entry.name(), new Part(entry.name(), entry.name(), freePort(taken)));
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
                // Replicas of one service (jobs) are listed together: callers take them in turn.
                env.merge("BABBLE_" + Config.normalize(part.service()) + "_URL", "http://127.0.0.1:" + part.port(),
                        (first, more) -> first + "," + more);
            }
        }
        return new ProcessCluster(parts, env, env.containsKey("BABBLE_LOG_FILE") ? null : logDir, out);
    }

    void startAll() throws IOException {
        for (Part part : parts.values()) {
            spawn(part);
        }
    }

    /** Waits until every process answers ready; false after {@code timeout}. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (Part part : parts.values()) {
            while (!isReady(part)) {
                Process process = processes.get(part.name());
                if (process == null || !process.isAlive()) {
                    throw new ConfigException(part.name() + " exited while starting (see its lines above)");
                }
                if (Instant.now().isAfter(deadline)) {
                    return false;
                }
                Thread.sleep(200);
            }
        }
        return true;
    }

    List<Integer> gatewayPorts() {
        return parts.values().stream().filter(Part::isGateway).map(Part::port).toList();
    }

    int size() {
        return parts.size();
    }

    @Override
    public List<String> status() {
        var status = new ArrayList<String>();
        for (Part part : parts.values()) {
            Process process = processes.get(part.name());
            String state = process == null || !process.isAlive() ? " (stopped)" : isReady(part) ? "" : " (not ready)";
            status.add(part.name() + ":" + part.port() + state);
        }
        return status;
    }

    @Override
    public void stop(String name) throws InterruptedException {
        Process process = processes.remove(name);
        if (process != null) {
            process.destroy(); // SIGTERM: the service stops cleanly
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void kill(String name) throws InterruptedException {
        Process process = processes.remove(name);
        if (process != null) {
            process.destroyForcibly(); // SIGKILL: as if the machine lost the process
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void start(String name) throws IOException {
        Process process = processes.get(name);
        if (process == null || !process.isAlive()) {
            spawn(parts.get(name));
        }
    }

    @Override
    public void wipeStore(String name) {
        String service = parts.get(name).service();
        var config = Config.of(environment).forService(service);
        try (var db = babble.platform.db.Database.open(service, babble.platform.db.DatabaseSettings.from(config), null)) {
            db.wipe();
        }
    }

    @Override
    public List<String> names() {
        return List.copyOf(parts.keySet());
    }

    @Override
    public void close() {
        var names = new ArrayList<>(parts.keySet());
        java.util.Collections.reverse(names); // gateways first, then the services they call
        for (String name : names) {
            Process process = processes.get(name);
            if (process != null) {
                process.destroy();
            }
        }
        for (String name : names) {
            Process process = processes.remove(name);
            try {
                if (process != null && !process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void spawn(Part part) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java));
        // The launcher runs from app/target/app.jar: its JVM options sit beside it (see app/jvm.options).
        Path appTarget = Path.of(System.getProperty("java.class.path").split(File.pathSeparator)[0])
                .toAbsolutePath().getParent();
        Path options = appTarget.resolveSibling("jvm.options");
        if (Files.exists(options)) {
            Path archive = appTarget.resolve("babble-service-" + part.name() + ".jsa");
            dropIfStale(archive, appTarget);
            command.addAll(List.of("@" + options, "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive));
        } else {
            command.addAll(List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8"));
        }
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // the MQTT client's JCTools; the flag is new in 24
        }
        String prefix = "BABBLE_" + Config.normalize(part.service()) + "_";
        command.addAll(List.of("-Xmx" + heap(prefix, part.isGateway()),
                "-cp", System.getProperty("java.class.path"), "babble.app.Main", "service", part.service()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put(prefix + "PORT", Integer.toString(part.port()));
        builder.environment().put(prefix + "HOST", part.isGateway() ? "0.0.0.0" : "127.0.0.1");
        builder.environment().put("BABBLE_PROCESS_NAME", part.name());
        if (logDir != null) {
            builder.environment().put("BABBLE_LOG_FILE", logDir.resolve(part.name() + ".log").toString());
        }
        Process process = builder.start();
        processes.put(part.name(), process);
        Thread.ofPlatform().daemon().name("log-" + part.name()).start(() -> stream(part.name(), process));
    }

    /**
     * Deletes a class-data archive older than a jar of the launcher: the JVM writes a missing archive at its exit,
     * but runs without a stale one for ever (it does not rewrite it).
     */
    private static void dropIfStale(Path archive, Path appTarget) throws IOException {
        if (!Files.exists(archive)) {
            return;
        }
        long archived = Files.getLastModifiedTime(archive).toMillis();
        try (var here = Files.list(appTarget); var lib = Files.list(appTarget.resolve("lib"))) {
            if (java.util.stream.Stream.concat(here, lib)
                    .anyMatch(p -> p.toString().endsWith(".jar") && p.toFile().lastModified() > archived)) {
                Files.deleteIfExists(archive);
            }
        }
    }

    /** {@code BABBLE_<SERVICE>_HEAP}, else the shared default; a gateway holds every live socket, so gets more. */
    private String heap(String prefix, boolean gateway) {
        String own = environment.get(prefix + "HEAP");
        if (own != null && !own.isBlank()) {
            return own;
        }
        return gateway ? "512m" : environment.getOrDefault("BABBLE_SERVICE_HEAP", "256m");
    }

    private void stream(String name, Process process) {
        String label = String.format("[%-9s] ", name);
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println(label + line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private boolean isReady(Part part) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + part.port() + "/health/ready"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            // Ready, and the service itself: not another one that happens to hold the port (one that could not bind).
            return response.statusCode() == 200
                    && response.headers().firstValue(HttpServer.SERVICE_HEADER).orElse("").equals(part.service());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
                    + "): " + e.getMessage() + ". Processes mode needs PostgreSQL, NATS (with -js) and Redis.");
        }
    }

    /** A port free now and not among {@code taken} (which it joins). */
    private static int freePort(java.util.Set<Integer> taken) {
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
