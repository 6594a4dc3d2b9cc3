package babble.bench.baselines;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Seed 000's own demo app (Node.js, Express and Redis; {@code ../shared/anchors/seed000-node}), the program a
 * visit counter replaces: copied to a scratch folder, its packages installed with npm, started on its fixed port
 * 3000 against the machine's Redis. Missing Node.js, the app's folder, Redis or the free port make it
 * unavailable, with the reason, and the benchmark goes on without it.
 */
public final class SeedNodeApp implements AutoCloseable {
    public static final int PORT = 3000;

    private final Process process;

    private SeedNodeApp(Process process) {
        this.process = process;
    }

    /** Where the app's sources are: {@code BABBLE_BENCH_SEED000}, else beside the checkout in shared/anchors. */
    public static Optional<Path> sources(Path root) {
        String given = System.getenv("BABBLE_BENCH_SEED000");
        Path app = given != null && !given.isBlank() ? Path.of(given)
                : root.toAbsolutePath().getParent().resolve("shared/anchors/seed000-node/app");
        return Files.isRegularFile(app.resolve("index.js")) ? Optional.of(app) : Optional.empty();
    }

    /** Starts the app, or says why it cannot run here. */
    public static SeedNodeApp start(Path sources, Path scratch, Path log) throws IOException, InterruptedException {
        if (!onPath("node") || !onPath("npm")) {
            throw new Unavailable("Node.js (node and npm) is not installed");
        }
        if (!listening(6379)) {
            throw new Unavailable("Redis is not running on 127.0.0.1:6379");
        }
        if (listening(PORT)) {
            throw new Unavailable("port " + PORT + " is taken");
        }
        Path app = scratch.resolve("seed000-node");
        copy(sources, app);
        var install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
            install.destroyForcibly();
            throw new Unavailable("npm install failed (see " + log + ")");
        }
        // The app logs every request to its output (morgan); to a file, as a deployed Node app would.
        var process = new ProcessBuilder("node", "index.js").directory(app.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening(PORT)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new Unavailable("the app did not start (see " + log + ")");
            }
            Thread.sleep(100);
        }
        return new SeedNodeApp(process);
    }

    public List<ProcessHandle> processes() {
        return List.of(process.toHandle());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Why the app cannot run on this machine. */
    public static final class Unavailable extends IOException {
        public Unavailable(String reason) {
            super(reason);
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static boolean listening(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                if (source.toString().contains("node_modules")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                    target.toFile().setWritable(true);
                }
            }
        }
    }
}
