package babble.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real servers a processes-mode deployment runs on: restarting the machine's PostgreSQL, and a NATS server
 * of a test's own to stop and start.
 */
final class ProductionServers {
    private ProductionServers() {
    }

    /** Restarts the machine's PostgreSQL cluster (the command its machine notes give), waiting {@code down} between. */
    static void restartPostgres(Duration down) throws Exception {
        String version = run("ls", "/etc/postgresql").trim().split("\\s+")[0];
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast");
        Thread.sleep(down.toMillis());
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start");
    }

    static String run(String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** A NATS server (with JetStream) of a test's own, on a free port, that the test may stop and start. */
    static final class PrivateNats implements AutoCloseable {
        private final int port;
        private final Path store;
        private Process process;

        PrivateNats() throws IOException {
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            store = Files.createTempDirectory("babble-nats-");
            start();
        }

        String url() {
            return "nats://127.0.0.1:" + port;
        }

        void start() throws IOException {
            process = new ProcessBuilder("/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                    "-sd", store.toString()).redirectErrorStream(true).redirectOutput(store.resolve("server.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    sleep(100);
                }
            }
            throw new IllegalStateException("the private NATS server did not start; see " + store.resolve("server.log"));
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                stop();
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
