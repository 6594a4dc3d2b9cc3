package babble.app;

import babble.platform.Infrastructure;
import babble.platform.Launcher;
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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code babble up}: every service in this JVM (all-in-one), on the embedded store and the in-process bus. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run Babble: every service in one JVM, data under --data. Ctrl-C stops it.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "Port of the gateway (the public surface). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Directory for the databases and logs. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--mode", defaultValue = "all-in-one", description = "Run mode: all-in-one. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--log-console", description = "Write the full JSON log to the console instead of DATA/logs/babble.log.")
    boolean logConsole;

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("all-in-one")) {
            throw new ConfigException("--mode " + mode + " is not available; the run modes are: all-in-one");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("--port must be between 1 and 65535");
        }
        long began = System.nanoTime();
        Path dataDir = data.toAbsolutePath().normalize();
        Files.createDirectories(dataDir.resolve("logs"));
        if (!logConsole && System.getenv("BABBLE_LOG_FILE") == null) {
            System.setProperty("BABBLE_LOG_FILE", dataDir.resolve("logs/babble.log").toString());
        }
        PrintStream out = System.out;
        try (FileChannel lockFile = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new ConfigException("another Babble is already running on " + dataDir + " (use --data for a second one)");
            }
            out.printf("Babble is starting (all-in-one, data in %s)%n", dataDir);
            Config config = Config.fromEnvironment()
                    .withOverrides(overrides(dataDir))
                    .withDefaults(defaults());
            var services = Catalog.entries().stream().map(e -> (Service) e.factory().get()).toList();
            var launcher = Launcher.start(Infrastructure.create(config), services);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                out.println("Babble is stopping");
                launcher.close();
                out.println("Babble stopped");
                stopped.countDown();
            }));
            if (!launcher.awaitReady(Duration.ofSeconds(60))) {
                out.println("Babble started, but these services are not ready yet: " + notReady(launcher));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            out.printf("Babble is ready at http://localhost:%d (%d services in %.1f s). Press Ctrl-C to stop.%n",
                    port, services.size(), seconds);
            new Console(launcher, out).readFrom(System.in);
            stopped.await();
        } catch (IOException e) {
            throw new ConfigException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private java.util.Map<String, String> overrides(Path dataDir) {
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
        return overrides;
    }

    private static java.util.Map<String, String> defaults() {
        var defaults = new HashMap<String, String>();
        defaults.put("BABBLE_INTERNAL_KEY", randomKey());
        defaults.put("BABBLE_GATEWAY_HOST", "0.0.0.0");
        return defaults;
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static List<String> notReady(Launcher launcher) {
        return launcher.hosts().stream().filter(h -> !h.isReady()).map(h -> h.name()).toList();
    }
}
