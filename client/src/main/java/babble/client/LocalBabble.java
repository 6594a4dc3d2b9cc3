package babble.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Babble started as a separate process exactly as {@code ./babble up} runs it (the launcher jar and its library
 * folder), on free ports and fresh storage: a fresh data directory, and in processes mode a namespace of its
 * own that is dropped when it closes. For end-to-end tests and the load generator. Its output goes to a log.
 */
public final class LocalBabble implements AutoCloseable {
    private static final String READY_LINE = "Babble is ready";
    /** Printed instead when a part is not ready in the launcher's time: callers then wait for readiness themselves. */
    private static final String UP_LINE = "Babble is up at";

    /** How to start it: mode (all-in-one, processes or containers), gateways, extra BABBLE_* settings, heap of the launcher. */
    public record Options(String name, String mode, int gateways, Map<String, String> environment, Path root, Path logDir) {
    }

    private final Options options;
    private final Path dataDir;
    private final int port;
    private final String namespace = "local" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final BlockingQueue<String> consoleReplies = new LinkedBlockingQueue<>();
    private final Path log;
    private Process process;
    private volatile boolean stopping;
    private Writer console;

    private LocalBabble(Options options, Path dataDir, int port) {
        this.options = options;
        this.dataDir = dataDir;
        this.port = port;
        this.log = options.logDir().resolve(options.name() + ".log");
    }

    public static LocalBabble start(Options options) {
        try {
            Files.createDirectories(options.logDir());
            var babble = new LocalBabble(options, Files.createTempDirectory("babble-" + options.name() + "-"),
                    freePorts(options.gateways()));
            babble.launch();
            return babble;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return gatewayUrl(1);
    }

    /** The URL of gateway number {@code n} (1 is {@link #baseUrl()}). */
    public URI gatewayUrl(int n) {
        return URI.create("http://127.0.0.1:" + (port + n - 1));
    }

    public String mode() {
        return options.mode();
    }

    /** Its namespace on the shared servers (processes mode: PostgreSQL databases {@code <namespace>_<service>}). */
    public String namespace() {
        return namespace;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The launcher's output, every start of it appended. */
    public Path log() {
        return log;
    }

    /** The launcher process and everything it started (the server processes, for CPU and memory readings). */
    public List<ProcessHandle> processes() {
        var all = new ArrayList<ProcessHandle>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /**
     * The service a process of this deployment runs ({@code babble service NAME}), or empty for the launcher. Read
     * from Linux's /proc: the JDK's {@code ProcessHandle.Info} gives no arguments for a command line as long as a
     * JVM's with its class path.
     */
    public static java.util.Optional<String> serviceOf(ProcessHandle process) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return java.util.Optional.empty(); // it has ended
        }
        var match = java.util.regex.Pattern.compile("\0service\0([a-z][a-z0-9-]*)\0$").matcher(line);
        return match.find() ? java.util.Optional.of(match.group(1)) : java.util.Optional.empty();
    }

    /** Stops every process gracefully and starts them again on the same data. */
    public void restart() {
        stop();
        launch();
    }

    /** Types a command into the running launcher ({@code stop quotes}, {@code kill messages}) and waits for it. */
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

    @Override
    public void close() {
        stop();
        if (!options.mode().equals("all-in-one")) { // processes and containers keep their data on the shared servers
            run(List.of("drop-namespace", namespace), Map.of());
        }
    }

    /** The launcher's class-data archive, written at its first clean exit (as ./babble up names it). */
    public static Path classDataArchive(Path root, String mode) {
        return root.resolve("app/target/babble-" + (mode.equals("all-in-one") ? "up" : "launcher") + ".jsa");
    }

    /**
     * True when {@code archive} is missing or older than a jar of the launcher. The JVM writes a missing archive at
     * its exit, but runs without a stale one for ever (it does not rewrite it), so a stale one must be deleted.
     */
    public static boolean isStale(Path archive, Path root) {
        if (!Files.exists(archive)) {
            return true;
        }
        Path app = root.resolve("app/target");
        try (var here = Files.list(app); var lib = Files.list(app.resolve("lib"))) {
            long archived = Files.getLastModifiedTime(archive).toMillis();
            return java.util.stream.Stream.concat(here, lib).filter(p -> p.toString().endsWith(".jar"))
                    .anyMatch(jar -> jar.toFile().lastModified() > archived);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> java(List<String> arguments) {
        Path app = options.root().resolve("app/target");
        if (!Files.exists(app.resolve("app.jar"))) {
            throw new IllegalStateException("build the launcher first (./mvnw package): " + app.resolve("app.jar") + " is missing");
        }
        // The same JVM options and class-data archive as ./babble up (see app/jvm.options).
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + options.root().resolve("app/jvm.options"), "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as ./babble does (the MQTT client's JCTools)
        }
        if (arguments.getFirst().equals("up")) { // other commands would archive only the few classes they load
            Path archive = classDataArchive(options.root(), options.mode());
            if (isStale(archive, options.root())) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            command.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive));
        }
        command.addAll(List.of("-cp", app.resolve("app.jar") + ":" + app.resolve("lib") + "/*", "babble.app.Main"));
        command.addAll(arguments);
        return command;
    }

    private Map<String, String> environment() {
        var env = new HashMap<String, String>();
        env.put("BABBLE_LOG_LEVEL", "info");
        env.put("BABBLE_NAMESPACE", namespace);
        env.put("BABBLE_SERVICE_HEAP", "192m");
        env.putAll(options.environment());
        return env;
    }

    private void launch() {
        stopping = false;
        var builder = new ProcessBuilder(java(List.of("up", "--port", Integer.toString(port), "--data", dataDir.toString(),
                "--mode", options.mode(), "--gateways", Integer.toString(options.gateways()))))
                .redirectErrorStream(true);
        builder.environment().putAll(environment());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        console = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Process launched = process;
        var ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("babble-" + options.name()).start(() -> pump(launched, ready));
        try {
            // Processes mode starts twenty JVMs at once: on two busy cores that took up to ~170 s here.
            if (!ready.await(300, TimeUnit.SECONDS) || !process.isAlive()) {
                stop();
                throw new IllegalStateException("Babble (" + options.name() + ") did not become ready; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void pump(Process launched, CountDownLatch ready) {
        try (var reader = new BufferedReader(new InputStreamReader(launched.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            out.println("---- started " + Instant.now());
            String line;
            while ((line = reader.readLine()) != null) {
                out.println(line);
                if (line.contains(READY_LINE) || line.contains(UP_LINE)) {
                    ready.countDown();
                }
                if (line.startsWith("console: ")) {
                    consoleReplies.add(line.substring("console: ".length()));
                }
                if (line.contains("exited by itself")) { // a crash is worth seeing beside the tests, not only in the log
                    System.out.println("babble (" + options.name() + "): " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            ready.countDown();
            reportUnexpectedExit(launched);
        }
    }

    /** The launcher's output ended without a stop: say so where the test's output is read (CI prints it). */
    private void reportUnexpectedExit(Process launched) {
        try {
            if (!stopping && launched.waitFor(10, TimeUnit.SECONDS) && !stopping) {
                System.out.println("babble (" + options.name() + "): the launcher exited by itself (exit code "
                        + launched.exitValue() + "); its output is in " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        if (process == null) {
            return;
        }
        stopping = true;
        process.destroy(); // SIGTERM: the launcher stops every service cleanly
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void run(List<String> arguments, Map<String, String> env) {
        var builder = new ProcessBuilder(java(arguments)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment());
        builder.environment().putAll(env);
        try {
            builder.start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
}
