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
    enum Mode { ALL_IN_ONE, PROCESSES }

    @Option(names = "--port", defaultValue = "8080", description = "Port of the (first) gateway. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Directory for embedded databases and logs. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--mode", defaultValue = "all-in-one",
            description = "all-in-one (one JVM, embedded store) or processes (a JVM per service on PostgreSQL, NATS, Redis). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--gateways", defaultValue = "1", description = "Processes mode: how many gateways (on --port, --port+1, ...). Default: ${DEFAULT-VALUE}.")
    int gateways;

    @Option(names = "--jobs", defaultValue = "2", description = "Processes mode: how many jobs processes share the job queue. Default: ${DEFAULT-VALUE}.")
    int jobs;

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
            default -> throw new ConfigException("--mode must be all-in-one or processes, got '" + mode + "'");
        };
        if (port < 1 || port > 65535 - gateways) {
            throw new ConfigException("--port must be between 1 and 65535");
        }
        if (gateways < 1 || gateways > 8 || gateways > 1 && chosen == Mode.ALL_IN_ONE) {
            throw new ConfigException("--gateways must be 1 to 8, and more than 1 only with --mode processes");
        }
        if (jobs < 1 || jobs > 8) {
            throw new ConfigException("--jobs must be 1 to 8");
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
            return chosen == Mode.ALL_IN_ONE ? allInOne(dataDir, out, began) : processes(dataDir, out, began);
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
        if (!launcher.awaitReady(Duration.ofSeconds(60))) {
            out.println("Babble started, but not every service is ready yet: " + new AllInOne(launcher).status());
        }
        out.printf("Babble is ready at http://localhost:%d (%d services in %.1f s). Press Ctrl-C to stop.%n",
                port, services.size(), (System.nanoTime() - began) / 1e9);
        new Console(new AllInOne(launcher), out).readFrom(System.in);
        stopped.await();
        return 0;
    }

    private int processes(Path dataDir, PrintStream out, long began) throws Exception {
        // Every process gets the data directory: logs, and the files jobs write (exports), which all jobs
        // processes must see.
        Config config = Config.fromEnvironment().withOverrides(Map.of("BABBLE_DATA_DIR", dataDir.toString()));
        if (ephemeral && Infrastructure.namespace(config).equals("babble")) {
            throw new ConfigException("--ephemeral needs BABBLE_NAMESPACE set to a throwaway namespace, not babble");
        }
        out.printf("Babble is starting (processes: a JVM per service, %d gateway%s, on PostgreSQL, NATS and Redis)%n",
                gateways, gateways == 1 ? "" : "s");
        var cluster = ProcessCluster.plan(config, port, gateways, jobs, randomKey(), logConsole ? null : dataDir.resolve("logs"), out);
        var stopped = whenStopped(out, () -> {
            cluster.close();
            if (ephemeral) {
                Namespace.drop(config);
            }
        });
        cluster.startAll();
        if (!cluster.awaitReady(Duration.ofSeconds(180))) {
            out.println("Babble started, but not every process is ready yet: " + cluster.status());
        }
        String urls = cluster.gatewayPorts().stream().map(p -> "http://localhost:" + p).collect(Collectors.joining(" and "));
        out.printf("Babble is ready at %s (%d processes in %.1f s). Press Ctrl-C to stop.%n",
                urls, cluster.size(), (System.nanoTime() - began) / 1e9);
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
