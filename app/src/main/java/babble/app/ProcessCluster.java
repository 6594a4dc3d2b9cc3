package babble.app;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
final class ProcessCluster implements Cluster {
    /** One process: which service it runs, on which port, with which settings of its own (a canary's version). */
    record Part(String name, String service, int port, Map<String, String> settings) {
        Part(String name, String service, int port) {
            this(name, service, port, Map.of());
        }

        boolean isGateway() {
            return service.equals("gateway");
        }
    }

    private final Map<String, Part> parts;
    private final Map<String, String> environment;
    private final Path logDir;
    private final PrintStream out;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> overrides = new ConcurrentHashMap<>(); // the console's "set"
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    /** Restarts a process that exited on its own, as Kubernetes would restart its container (see {@link #exited}). */
    private final java.util.concurrent.ScheduledExecutorService restarts = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("restarts").factory());
    private final Map<String, Integer> quickExits = new ConcurrentHashMap<>();
    private volatile boolean supervising; // from the moment every part was first ready until close

    private final StartOrder startOrder; // null: every part at once, in the catalog's order
    private long lastStarted;

    private ProcessCluster(Map<String, Part> parts, Map<String, String> environment, Path logDir, PrintStream out,
                           StartOrder startOrder) {
        this.startOrder = startOrder;
        this.parts = parts;
        this.environment = environment;
        this.logDir = logDir;
        this.out = out;
    }

    /**
     * Checks the servers are reachable and gives every process its port; starts nothing yet. With a {@code logDir},
     * each process logs there (a file per process) and shows only warnings on the console.
     */
    static ProcessCluster plan(Config config, int gatewayPort, int gateways, Map<String, Integer> replicas,
                               String internalKey, Path logDir, PrintStream out) {
        var plan = ClusterPlan.of(config, gatewayPort, gateways, replicas, internalKey); // shared with containers mode
        return new ProcessCluster(plan.parts(), plan.environment(),
                plan.environment().containsKey("BABBLE_LOG_FILE") ? null : logDir, out, StartOrder.parse(config));
    }

    @Override
    public void startAll() throws IOException {
        var order = new ArrayList<>(parts.values());
        long gapMillis = 0;
        if (startOrder != null) {
            java.util.Collections.shuffle(order, new java.util.Random(startOrder.seed()));
            gapMillis = startOrder.spread().toMillis() / Math.max(1, order.size() - 1);
            out.printf("starting the parts in a random order (seed %d), one every %d ms: %s%n", startOrder.seed(),
                    gapMillis, order.stream().map(Part::name).toList());
        }
        for (int i = 0; i < order.size(); i++) {
            if (i > 0 && gapMillis > 0) {
                try {
                    Thread.sleep(gapMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting the parts", e);
                }
            }
            spawn(order.get(i));
        }
        lastStarted = System.nanoTime();
    }

    /**
     * {@code BABBLE_START_ORDER=random:SEED[:SPREAD]}: the parts start in an order shuffled by SEED, one after
     * another over SPREAD (default 20s), so that services come up long before or after those they call. For chaos
     * tests: every part must still be ready soon after the last one started, none exiting.
     */
    record StartOrder(long seed, Duration spread) {
        static StartOrder parse(Config config) {
            String setting = config.optional("START_ORDER").orElse("");
            if (setting.isBlank() || setting.equals("catalog")) {
                return null;
            }
            var matcher = java.util.regex.Pattern.compile("random:(\\d{1,18})(?::(\\d{1,3})s)?").matcher(setting.strip());
            if (!matcher.matches()) {
                throw new ConfigException(config.nameOf("START_ORDER") + " must be catalog or random:SEED[:SPREADs] "
                        + "(random:7:20s), got '" + setting + "'");
            }
            return new StartOrder(Long.parseLong(matcher.group(1)),
                    Duration.ofSeconds(matcher.group(2) == null ? 20 : Integer.parseInt(matcher.group(2))));
        }
    }

    /** Waits until every process answers ready; false after {@code timeout}. */
    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (Part part : parts.values()) {
            while (!Parts.isReady(http, part)) {
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
        if (startOrder != null) {
            out.printf("every part was ready %.1f s after the last one started%n", (System.nanoTime() - lastStarted) / 1e9);
        }
        supervising = true; // a part that fails at its first start is a mistake to show, not to restart for ever
        return true;
    }

    @Override
    public List<Integer> gatewayPorts() {
        return parts.values().stream().filter(Part::isGateway).map(Part::port).toList();
    }

    @Override
    public int size() {
        return parts.size();
    }

    @Override
    public List<String> status() {
        var status = new ArrayList<String>();
        for (Part part : parts.values()) {
            Process process = processes.get(part.name());
            String state = process == null || !process.isAlive() ? " (stopped)" : Parts.isReady(http, part) ? "" : " (not ready)";
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
    public void wipeStore(String name) throws IOException {
        String service = parts.get(name).service();
        var config = Config.of(environment, Map.of("BABBLE_INSTANCE", name)).forService(service);
        if (service.equals("search")) { // each replica's index is a directory of its own, rebuilt by replay
            LocalState.deleteTree(babble.search.domain.SearchSettings.from(config).indexDir());
            return;
        }
        try (var db = babble.platform.db.Database.open(service, babble.platform.db.DatabaseSettings.from(config), null)) {
            db.wipe();
        }
    }

    /** Restarts a part with one setting changed (an empty value removes it), until it is set again. */
    @Override
    public void set(String name, String key, String value) throws Exception {
        if (!parts.containsKey(name)) {
            throw new ConfigException("no part named " + name);
        }
        stop(name);
        var own = overrides.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        if (value.isEmpty()) {
            own.remove(key);
        } else {
            own.put(key, value);
        }
        start(name);
    }

    @Override
    public List<String> names() {
        return List.copyOf(parts.keySet());
    }

    @Override
    public void close() {
        supervising = false;
        restarts.shutdownNow();
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
        // BABBLE_JVM_OPTIONS: more options for every service's JVM (tests start theirs with C1 only: see e2e's pom).
        for (String option : environment.getOrDefault("BABBLE_JVM_OPTIONS", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        String prefix = "BABBLE_" + Config.normalize(part.service()) + "_";
        command.addAll(List.of("-Xmx" + Parts.heap(environment, prefix, part.isGateway()),
                "-cp", System.getProperty("java.class.path"), "babble.app.Main", "service", part.service()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().putAll(part.settings());
        var own = overrides.getOrDefault(part.name(), Map.of());
        builder.environment().putAll(own);
        own.forEach((key, value) -> builder.environment().remove(key, ""));
        builder.environment().put(prefix + "PORT", Integer.toString(part.port()));
        builder.environment().put(prefix + "HOST", part.isGateway() ? "0.0.0.0" : "127.0.0.1");
        builder.environment().put("BABBLE_PROCESS_NAME", part.name());
        builder.environment().put("BABBLE_INSTANCE", part.name()); // a replica's own state (search: its index)
        if (logDir != null) {
            builder.environment().put("BABBLE_LOG_FILE", logDir.resolve(part.name() + ".log").toString());
        }
        Process process = builder.start();
        processes.put(part.name(), process);
        Thread.ofPlatform().daemon().name("log-" + part.name()).start(() -> Parts.stream(out, part.name(), process));
        long started = System.nanoTime();
        process.onExit().thenRun(() -> exited(part, process, Duration.ofNanos(System.nanoTime() - started)));
    }

    /**
     * A process ended. One the console stopped, killed or replaced is no longer in {@code processes}; any other
     * exited on its own (a crash, an out-of-memory exit, a kill from outside) and is started again after a pause
     * that doubles with each quick exit in a row (1 s up to 30 s; a run of a minute or more starts the count
     * again), so a part that cannot run does not spin.
     */
    private void exited(Part part, Process process, Duration ran) {
        if (!supervising || !processes.remove(part.name(), process)) {
            return;
        }
        int inARow = 1;
        if (ran.compareTo(Duration.ofMinutes(1)) >= 0) {
            quickExits.put(part.name(), 1);
        } else {
            inARow = quickExits.merge(part.name(), 1, Integer::sum);
        }
        long delay = Math.min(30, 1L << Math.min(5, inARow - 1));
        out.printf("[%-9s] exited by itself (exit code %d after %d s); starting it again in %d s%n",
                part.name(), process.exitValue(), ran.toSeconds(), delay);
        try {
            restarts.schedule(() -> {
                try {
                    if (supervising && !processes.containsKey(part.name())) {
                        spawn(part);
                    }
                } catch (IOException e) {
                    out.printf("[%-9s] could not be started again: %s%n", part.name(), e.getMessage());
                }
            }, delay, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
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

    /**
     * {@code BABBLE_CANARY=quotes=v2:10}: a second version of a service, run beside the first, taking that
     * percentage of every caller's calls (comma-separated for several services).
     */
    record Canary(String service, String mainVersion, String version, int percent) {
        static Map<String, Canary> parse(Config config) {
            var canaries = new LinkedHashMap<String, Canary>();
            String setting = config.optional("CANARY").orElse("");
            for (String entry : setting.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                var matcher = java.util.regex.Pattern.compile("([a-z]+)=([A-Za-z0-9._-]{1,32}):(\\d{1,2})").matcher(entry.strip());
                String service = matcher.matches() ? matcher.group(1) : "";
                if (!matcher.matches() || Catalog.find(service).isEmpty() || service.equals("gateway")) {
                    throw new ConfigException(config.nameOf("CANARY") + " must look like quotes=v2:10 (a service other "
                            + "than the gateway, a version, a percentage from 1 to 99), got '" + setting + "'");
                }
                String main = config.optional(Config.normalize(service) + "_VERSION")
                        .orElse(config.optional("VERSION").orElse("v1"));
                int percent = Integer.parseInt(matcher.group(3));
                if (percent < 1 || matcher.group(2).equals(main)) {
                    throw new ConfigException(config.nameOf("CANARY") + ": the canary of " + service + " needs a share "
                            + "from 1 to 99 and a version other than " + main + ", got '" + entry.strip() + "'");
                }
                canaries.put(service, new Canary(service, main, matcher.group(2), percent));
            }
            return canaries;
        }
    }
}
