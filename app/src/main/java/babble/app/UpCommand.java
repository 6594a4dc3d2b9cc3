package babble.app;

import babble.platform.Infrastructure;
import babble.platform.Launcher;
import babble.platform.Namespace;
import babble.platform.Service;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code babble up}: all-in-one (every service in this JVM, embedded store, in-process bus) or processes (one JVM
 * per service on PostgreSQL, NATS and Redis, with one or more gateways).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run Babble until Ctrl-C. Type status, stop NAME, kill NAME, start NAME or restart NAME while it runs.")
final class UpCommand implements Callable<Integer> {
    enum Mode { ALL_IN_ONE, PROCESSES, CONTAINERS }

    @Option(names = "--port", defaultValue = "8080", description = "Port of the (first) gateway. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Directory for embedded databases and logs. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--mode", defaultValue = "all-in-one",
            description = "all-in-one (one JVM, embedded store), processes (a JVM per service on PostgreSQL, NATS, Redis) "
                    + "or containers (the same in podman containers of the images ./babble image builds). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--gateways", defaultValue = "1", description = "Processes mode: how many gateways (on --port, --port+1, ...). Default: ${DEFAULT-VALUE}.")
    int gateways;

    @Option(names = "--jobs", defaultValue = "2", description = "Processes mode: how many jobs processes share the job queue. Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Option(names = "--search", defaultValue = "2", description = "Processes mode: how many search processes serve, each with its own index. Default: ${DEFAULT-VALUE}.")
    int search;

    @Option(names = "--canary", description = "Processes mode: a second version of a service beside the first, with "
            + "its share of calls, e.g. quotes=v2:10 (the same as BABBLE_CANARY).")
    String canary;

    @Option(names = "--log-console", description = "Write the full log to the console instead of DATA/logs/babble.log "
            + "(processes mode: DATA/logs/<process>.log), where only warnings go otherwise.")
    boolean logConsole;

    @Option(names = "--ephemeral", description = "A throwaway deployment (tests, benchmarks): when it stops, what it "
            + "stored under BABBLE_NAMESPACE on PostgreSQL, NATS and Redis is removed. Needs a namespace other than babble.")
    boolean ephemeral;

    @Override
    public Integer call() throws Exception {
        Mode chosen = switch (mode) {
            case "all-in-one" -> Mode.ALL_IN_ONE;
            case "processes" -> Mode.PROCESSES;
            case "containers" -> Mode.CONTAINERS;
            default -> throw new ConfigException("--mode must be all-in-one, processes or containers, got '" + mode + "'");
        };
        if (port < 1 || port > 65535 - gateways) {
            throw new ConfigException("--port must be between 1 and 65535");
        }
        if (gateways < 1 || gateways > 8 || gateways > 1 && chosen == Mode.ALL_IN_ONE) {
            throw new ConfigException("--gateways must be 1 to 8, and more than 1 only with --mode processes or containers");
        }
        if (jobs < 1 || jobs > 8) {
            throw new ConfigException("--jobs must be 1 to 8");
        }
        if (search < 1 || search > 8) {
            throw new ConfigException("--search must be 1 to 8");
        }
        long began = System.nanoTime();
        Path dataDir = data.toAbsolutePath().normalize();
        Files.createDirectories(dataDir.resolve("logs"));
        PrintStream out = System.out;
        try (FileChannel lockFile = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new ConfigException("another Babble is already running on " + dataDir + " (use --data for a second one)");
            }
            return switch (chosen) {
                case ALL_IN_ONE -> allInOne(dataDir, out, began);
                case PROCESSES, CONTAINERS -> separate(chosen, dataDir, out, began);
            };
        } catch (IOException e) {
            throw new ConfigException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private int allInOne(Path dataDir, PrintStream out, long began) throws Exception {
        if (!logConsole && System.getenv("BABBLE_LOG_FILE") == null) {
            System.setProperty("BABBLE_LOG_FILE", dataDir.resolve("logs/babble.log").toString());
        }
        out.printf("Babble is starting (all-in-one, data in %s)%n", dataDir);
        var overrides = new HashMap<String, String>();
        overrides.put("BABBLE_DATA_DIR", dataDir.toString());
        overrides.put("BABBLE_GATEWAY_PORT", Integer.toString(port));
        for (String name : Catalog.names()) {
            if (!name.equals("gateway")) {
                // Internal services answer on loopback ports the OS picks; the directory tells callers where.
                overrides.put("BABBLE_" + Config.normalize(name) + "_PORT", "0");
                overrides.put("BABBLE_" + Config.normalize(name) + "_HOST", "127.0.0.1");
            }
        }
        Config config = Config.fromEnvironment().withOverrides(overrides)
                .withDefaults(Map.of("BABBLE_INTERNAL_KEY", randomKey(), "BABBLE_GATEWAY_HOST", "0.0.0.0"));
        var services = Catalog.entries().stream().map(e -> (Service) e.factory().get()).toList();
        var launcher = Launcher.start(Infrastructure.create(config), services);
        var stopped = whenStopped(out, launcher::close);
        boolean ready = launcher.awaitReady(Duration.ofSeconds(60));
        // "ready" only when it is: scripts and tests wait for that line (a part still starting says why it is not)
        out.printf("Babble is %s at http://localhost:%d (%d services in %.1f s)%s. Press Ctrl-C to stop.%n",
                ready ? "ready" : "up", port, services.size(), (System.nanoTime() - began) / 1e9,
                ready ? "" : ", but not every service is ready yet: " + new AllInOne(launcher).status());
        new Console(new AllInOne(launcher), out).readFrom(System.in);
        stopped.await();
        return 0;
    }

    /** Processes mode (a JVM per part) or containers mode (a podman container per part): the same plan and console. */
    private int separate(Mode chosen, Path dataDir, PrintStream out, long began) throws Exception {
        // Every part gets the data directory: logs, and the files jobs write (exports), which all jobs parts must see.
        var settings = new HashMap<String, String>(Map.of("BABBLE_DATA_DIR", dataDir.toString()));
        if (canary != null) {
            settings.put("BABBLE_CANARY", canary);
        }
        Config config = Config.fromEnvironment().withOverrides(settings);
        if (ephemeral && Infrastructure.namespace(config).equals("babble")) {
            throw new ConfigException("--ephemeral needs BABBLE_NAMESPACE set to a throwaway namespace, not babble");
        }
        boolean containers = chosen == Mode.CONTAINERS;
        String parts = containers ? "containers" : "processes";
        out.printf("Babble is starting (%s, %d gateway%s, on PostgreSQL, NATS and Redis)%n",
                containers ? "containers: an image per service in podman" : "processes: a JVM per service",
                gateways, gateways == 1 ? "" : "s");
        var replicas = Map.of("jobs", jobs, "search", search);
        Path logDir = logConsole ? null : dataDir.resolve("logs");
        Cluster cluster = containers
                ? ContainerCluster.plan(config, port, gateways, replicas, randomKey(), dataDir, logDir, out)
                : ProcessCluster.plan(config, port, gateways, replicas, randomKey(), logDir, out);
        var stopped = whenStopped(out, () -> {
            cluster.close();
            if (ephemeral) {
                Namespace.drop(config);
            }
        });
        cluster.startAll();
        boolean ready = cluster.awaitReady(Duration.ofSeconds(180));
        String urls = cluster.gatewayPorts().stream().map(p -> "http://localhost:" + p).collect(Collectors.joining(" and "));
        out.printf("Babble is %s at %s (%d %s in %.1f s)%s. Press Ctrl-C to stop.%n",
                ready ? "ready" : "up", urls, cluster.size(), parts, (System.nanoTime() - began) / 1e9,
                ready ? "" : ", but not every part is ready yet: " + cluster.status());
        new Console(cluster, out).readFrom(System.in);
        stopped.await();
        return 0;
    }

    /** Runs {@code stop} on Ctrl-C (or SIGTERM); the latch opens when it is done. */
    private static CountDownLatch whenStopped(PrintStream out, Runnable stop) {
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            out.println("Babble is stopping");
            stop.run();
            out.println("Babble stopped");
            stopped.countDown();
        }));
        return stopped;
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
