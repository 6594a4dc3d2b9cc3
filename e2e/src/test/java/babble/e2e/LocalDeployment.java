package babble.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Babble started by the tests as a separate process, exactly as {@code ./babble up} runs it (the launcher jar and
 * its library folder), on a free port and a fresh data directory. Its output goes to a log under target/.
 */
public final class LocalDeployment implements Deployment {
    private static final String READY_LINE = "Babble is ready";

    private final String name;
    private final String mode;
    private final Path dataDir;
    private final int port;
    private final int gateways;
    private final Map<String, String> environment;
    private final String namespace = "e2e" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Path log;
    private Process process;
    private java.io.Writer console;
    private final java.util.concurrent.BlockingQueue<String> consoleReplies = new java.util.concurrent.LinkedBlockingQueue<>();

    private LocalDeployment(String name, String mode, Path dataDir, int port, int gateways, Map<String, String> environment) {
        this.name = name;
        this.mode = mode;
        this.dataDir = dataDir;
        this.port = port;
        this.gateways = gateways;
        this.environment = environment;
        this.log = Path.of(System.getProperty("babble.e2e.logs", "target/deployments")).resolve(name + ".log");
    }

    public static LocalDeployment start(String name, String mode) {
        return start(name, mode, 1, Map.of());
    }

    /** A deployment with {@code gateways} gateways and extra BABBLE_* settings (such as a NATS of its own). */
    public static LocalDeployment start(String name, String mode, int gateways, Map<String, String> environment) {
        try {
            var deployment = new LocalDeployment(name, mode, Files.createTempDirectory("babble-e2e-" + name + "-"),
                    freePorts(gateways), gateways, environment);
            Files.createDirectories(deployment.log.getParent());
            deployment.launch();
            return deployment;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The URL of gateway number {@code n} (1 is {@link #baseUrl()}). */
    public URI gatewayUrl(int n) {
        return URI.create("http://127.0.0.1:" + (port + n - 1));
    }

    public String mode() {
        return mode;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        if (mode.equals("processes")) {
            ProductionServers.dropNamespace(namespace);
        }
    }

    private void launch() {
        Path root = Path.of(System.getProperty("babble.root", "..")).toAbsolutePath().normalize();
        Path app = root.resolve("app/target");
        if (!Files.exists(app.resolve("app.jar"))) {
            throw new IllegalStateException("build the launcher first (./mvnw package): " + app.resolve("app.jar") + " is missing");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", app.resolve("app.jar") + ":" + app.resolve("lib") + "/*",
                "babble.app.Main", "up", "--port", Integer.toString(port), "--data", dataDir.toString(),
                "--mode", mode, "--gateways", Integer.toString(gateways)));
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("BABBLE_LOG_LEVEL", "info");
            builder.environment().put("BABBLE_NAMESPACE", namespace);
            builder.environment().put("BABBLE_SERVICE_HEAP", "192m");
            builder.environment().putAll(environment);
            process = builder.start();
            console = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("deployment-" + name).start(() -> pump(ready));
        try {
            if (!ready.await(180, TimeUnit.SECONDS) || !process.isAlive()) {
                stop();
                throw new IllegalStateException("Babble (" + name + ") did not become ready; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void pump(CountDownLatch ready) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
            out.println("---- started " + Instant.now());
            String line;
            while ((line = reader.readLine()) != null) {
                out.println(line);
                if (line.contains(READY_LINE)) {
                    ready.countDown();
                }
                if (line.startsWith("console: ")) {
                    consoleReplies.add(line.substring("console: ".length()));
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            ready.countDown();
        }
    }

    @Override
    public void stopService(String name) {
        console("stop " + name);
    }

    @Override
    public void startService(String name) {
        console("start " + name);
    }

    @Override
    public void restartService(String name) {
        console("restart " + name);
    }

    /** Types a command into the running all-in-one ({@code stop quotes}, {@code restart bot}) and waits for it. */
    public String console(String command) {
        try {
            consoleReplies.clear();
            console.write(command + "\n");
            console.flush();
            String reply = consoleReplies.poll(60, TimeUnit.SECONDS);
            if (reply == null || !reply.startsWith("ok")) {
                throw new IllegalStateException("console command '" + command + "' answered " + reply);
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: the launcher's shutdown hook stops every service cleanly
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The first of {@code count} consecutive free ports (gateways listen on port, port+1, ...). */
    private static int freePorts(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (var socket = new ServerSocket(0)) {
                first = socket.getLocalPort();
            }
            boolean allFree = first + count < 65535;
            for (int i = 1; i < count && allFree; i++) {
                try (var probe = new ServerSocket(first + i)) {
                    probe.setReuseAddress(true);
                } catch (IOException e) {
                    allFree = false;
                }
            }
            if (allFree) {
                return first;
            }
        }
        throw new IOException("no " + count + " consecutive free ports");
    }

    @SuppressWarnings("unused")
    private static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
