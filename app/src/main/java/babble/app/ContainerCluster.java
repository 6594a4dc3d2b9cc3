package babble.app;

import babble.app.ProcessCluster.Part;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code babble up --mode containers}: the processes layout, each part in a container of its service's image
 * ({@code babble/<service>}, built by {@code ./babble image}) run by podman on the host's network, so it reaches the
 * machine's PostgreSQL, NATS, Redis and Mosquitto as processes do, with the same settings ({@link ClusterPlan}). The
 * data directory is mounted at the same path, so logs ({@code DATA/logs/<part>.log}), exports and search indexes
 * land where processes mode puts them. Stopping the launcher stops the containers; they stop by themselves if it
 * dies (they see its process: {@code --pid host}).
 */
final class ContainerCluster implements Cluster {
    /** The user the images run as (deploy/images/Containerfile): it must be able to write the data directory. */
    static final int IMAGE_USER = 10001;

    private final ClusterPlan plan;
    private final String tag;
    private final Path dataDir;
    private final Path logDir;
    private final PrintStream out;
    private final Podman podman;
    private final Set<String> images;
    private final Map<String, Process> containers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> overrides = new ConcurrentHashMap<>(); // the console's "set"
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private ContainerCluster(ClusterPlan plan, Podman podman, String tag, Set<String> images, Path dataDir, Path logDir,
                             PrintStream out) {
        this.plan = plan;
        this.podman = podman;
        this.tag = tag;
        this.images = images;
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.out = out;
    }

    /**
     * Checks podman has every service's image ({@code BABBLE_IMAGE_TAG}, default latest) and the servers answer, and
     * gives every part its port; starts nothing yet. The services' version is the images' unless set.
     */
    static ContainerCluster plan(Config config, int gatewayPort, int gateways, Map<String, Integer> replicas,
                                 String internalKey, Path dataDir, Path logDir, PrintStream out) throws IOException {
        var podman = new Podman(config.string("PODMAN", "podman"));
        String tag = config.string("IMAGE_TAG", "latest");
        Set<String> images;
        try {
            images = podman.images("localhost/babble/*");
        } catch (IOException e) {
            throw new ConfigException("containers mode needs podman (BABBLE_PODMAN, default podman): " + e.getMessage(), e);
        }
        var missing = Catalog.names().stream().filter(s -> !images.contains(image(s, tag))).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("podman has no image " + image(missing.getFirst(), tag) + " (missing: "
                    + String.join(", ", missing) + "): build them with ./babble image, or pick a tag with BABBLE_IMAGE_TAG");
        }
        String version = podman.label(image("gateway", tag), "org.opencontainers.image.version");
        var withVersion = config.withDefaults(Map.of("BABBLE_VERSION", version.isEmpty() ? tag : version));
        var plan = ClusterPlan.of(withVersion, gatewayPort, gateways, replicas, internalKey);
        plan.environment().keySet().removeAll(Set.of("BABBLE_IMAGE_TAG", "BABBLE_PODMAN"));
        warnIfOlderThanLauncher(podman, image("gateway", tag), out);
        return new ContainerCluster(plan, podman, tag, images, dataDir,
                plan.environment().containsKey("BABBLE_LOG_FILE") ? null : logDir, out);
    }

    @Override
    public void startAll() throws IOException {
        letContainersWrite(dataDir);
        for (Part part : plan.parts().values()) {
            spawn(part);
        }
    }

    /** Waits until every container answers ready; false after {@code timeout}. */
    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (Part part : plan.parts().values()) {
            while (!Parts.isReady(http, part)) {
                Process container = containers.get(part.name());
                if (container == null || !container.isAlive()) {
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

    @Override
    public List<Integer> gatewayPorts() {
        return plan.parts().values().stream().filter(Part::isGateway).map(Part::port).toList();
    }

    @Override
    public int size() {
        return plan.parts().size();
    }

    @Override
    public List<String> status() {
        var status = new ArrayList<String>();
        for (Part part : plan.parts().values()) {
            Process container = containers.get(part.name());
            String state = container == null || !container.isAlive() ? " (stopped)" : Parts.isReady(http, part) ? "" : " (not ready)";
            status.add(part.name() + ":" + part.port() + state);
        }
        return status;
    }

    @Override
    public void stop(String name) throws IOException, InterruptedException {
        Process container = containers.remove(name);
        if (container != null) {
            podman.stop(List.of(containerName(name)), 15);
            awaitExit(container);
        }
    }

    @Override
    public void kill(String name) throws IOException, InterruptedException {
        Process container = containers.remove(name);
        if (container != null) {
            podman.kill(containerName(name));
            awaitExit(container);
        }
    }

    @Override
    public void start(String name) throws IOException {
        Process container = containers.get(name);
        if (container == null || !container.isAlive()) {
            spawn(plan.parts().get(name));
        }
    }

    @Override
    public void wipeStore(String name) throws IOException {
        String service = plan.parts().get(name).service();
        var config = Config.of(plan.environment(), Map.of("BABBLE_INSTANCE", name)).forService(service);
        if (service.equals("search")) { // each replica's index is a directory of its own (mounted), rebuilt by replay
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
        if (!plan.parts().containsKey(name)) {
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
        return List.copyOf(plan.parts().keySet());
    }

    /** Stops the gateways, then every other container, each group at once (podman stops them in parallel). */
    @Override
    public void close() {
        var gateways = plan.parts().values().stream().filter(Part::isGateway).map(Part::name).toList();
        var others = plan.parts().values().stream().filter(p -> !p.isGateway()).map(Part::name).toList();
        for (var group : List.of(gateways, others)) {
            try {
                podman.stop(group.stream().map(this::containerName).toList(), 15);
                for (String name : group) {
                    Process container = containers.remove(name);
                    if (container != null) {
                        awaitExit(container);
                    }
                }
            } catch (IOException e) {
                out.println("could not stop the containers " + group + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void spawn(Part part) throws IOException {
        var env = new HashMap<>(plan.environment());
        env.putAll(part.settings());
        var own = overrides.getOrDefault(part.name(), Map.of());
        env.putAll(own);
        own.forEach((key, value) -> env.remove(key, ""));
        String prefix = "BABBLE_" + Config.normalize(part.service()) + "_";
        env.put(prefix + "PORT", Integer.toString(part.port()));
        env.put(prefix + "HOST", part.isGateway() ? "0.0.0.0" : "127.0.0.1");
        env.put("BABBLE_PROCESS_NAME", part.name());
        env.put("BABBLE_INSTANCE", part.name()); // a replica's own state (search: its index)
        if (logDir != null) {
            env.put("BABBLE_LOG_FILE", logDir.resolve(part.name() + ".log").toString());
        }
        env.put("JDK_JAVA_OPTIONS", "-Xmx" + Parts.heap(plan.environment(), prefix, part.isGateway()));

        var command = new ArrayList<>(List.of(podman.command(), "run", "--rm", "--replace", "--name", containerName(part.name()),
                // The host's network: the machine's servers on 127.0.0.1, each part on its own port, as processes.
                "--network", "host",
                // The launcher's process is visible: a service stops when the launcher is gone (BABBLE_PARENT_PID).
                "--pid", "host",
                // The launcher asks each part's /health/ready itself; podman's health checks need systemd timers.
                "--no-healthcheck",
                "--label", "babble.namespace=" + plan.environment().getOrDefault("BABBLE_NAMESPACE", "babble"),
                "--volume", dataDir + ":" + dataDir));
        if (!isRoot()) { // rootless podman: the container's user is the launcher's, which owns the data directory
            command.addAll(List.of("--userns", "keep-id", "--user", Integer.toString(uid(Path.of("/proc/self")))));
        }
        // Values travel in podman's environment, not on its command line, where ps would show the internal key.
        env.keySet().stream().sorted().forEach(key -> command.addAll(List.of("--env", key)));
        command.addAll(List.of(imageOf(part), "service", part.service()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process container = builder.start();
        containers.put(part.name(), container);
        Thread.ofPlatform().daemon().name("log-" + part.name()).start(() -> Parts.stream(out, part.name(), container));
    }

    /** The service's image; a canary runs the image tagged with its version when there is one. */
    private String imageOf(Part part) {
        String version = part.settings().get("BABBLE_" + Config.normalize(part.service()) + "_VERSION");
        return version != null && images.contains(image(part.service(), version)) ? image(part.service(), version)
                : image(part.service(), tag);
    }

    private static String image(String service, String tag) {
        return "localhost/babble/" + service + ":" + tag;
    }

    private String containerName(String part) {
        return "babble-" + plan.environment().getOrDefault("BABBLE_NAMESPACE", "babble") + "-" + part;
    }

    /** {@code BABBLE_<SERVICE>_HEAP}, else the shared default; a gateway holds every live socket, so gets more. */
    private static void awaitExit(Process container) throws InterruptedException {
        if (!container.waitFor(30, TimeUnit.SECONDS)) {
            container.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The images run as {@link #IMAGE_USER}: as root, the launcher hands it the data directory (what processes mode
     * left there too), as an operator would chown a volume. Rootless, the container runs as the launcher's user.
     */
    private static void letContainersWrite(Path dataDir) throws IOException {
        if (!isRoot()) {
            return;
        }
        try (var paths = Files.walk(dataDir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (uid(path) != IMAGE_USER) {
                    Files.setAttribute(path, "unix:uid", IMAGE_USER, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", IMAGE_USER, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private static boolean isRoot() {
        try {
            return uid(Path.of("/proc/self")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int uid(Path path) throws IOException {
        return (int) Files.getAttribute(path, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** The images hold a copy of the launcher's jars: say so when the launcher was built after them. */
    private static void warnIfOlderThanLauncher(Podman podman, String image, PrintStream out) throws IOException {
        long built = podman.created(image);
        Path launcher = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        if (Files.exists(launcher) && Files.getLastModifiedTime(launcher).toInstant().getEpochSecond() > built) {
            out.println("Note: " + image + " is older than " + launcher.getFileName() + ": ./babble image builds them afresh");
        }
    }
}
