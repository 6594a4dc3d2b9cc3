package babble.e2e;

import babble.client.LocalBabble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Babble this suite starts itself (in the mode under test), which it can restart and disturb. */
public final class LocalDeployment implements Deployment {
    private final LocalBabble babble;
    private final int gateways;
    private final Map<String, String> environment;

    private LocalDeployment(LocalBabble babble, int gateways, Map<String, String> environment) {
        this.babble = babble;
        this.gateways = gateways;
        this.environment = Map.copyOf(environment);
    }

    public static LocalDeployment start(String name, String mode) {
        return start(name, mode, 1, Map.of());
    }

    /** A deployment with {@code gateways} gateways and extra BABBLE_* settings (such as a NATS of its own). */
    public static LocalDeployment start(String name, String mode, int gateways, Map<String, String> environment) {
        Path root = Path.of(System.getProperty("babble.root", "..")).toAbsolutePath().normalize();
        Path logs = Path.of(System.getProperty("babble.e2e.logs", "target/deployments"));
        var settings = new HashMap<>(environment);
        String jvmOptions = System.getProperty("babble.e2e.jvmOptions", "");
        if (!jvmOptions.isBlank()) {
            settings.putIfAbsent("BABBLE_JVM_OPTIONS", jvmOptions); // processes mode: each service's JVM (see e2e's pom)
        }
        var deployment = new LocalDeployment(LocalBabble.start(new LocalBabble.Options(name, mode, gateways, settings, root, logs)),
                gateways, settings);
        // The launcher says "ready" after 180 s even when some part is not (on two busy cores a cold start took
        // longer): a test's first call must not be the one to find a gateway not yet listening.
        try {
            deployment.awaitReady(Duration.ofMinutes(3));
        } catch (AssertionError notReady) {
            deployment.close();
            throw notReady;
        }
        return deployment;
    }

    @Override
    public URI baseUrl() {
        return babble.baseUrl();
    }

    public URI gatewayUrl(int n) {
        return babble.gatewayUrl(n);
    }

    @Override
    public java.util.List<URI> gateways() {
        return java.util.stream.IntStream.rangeClosed(1, gateways).mapToObj(babble::gatewayUrl).toList();
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public void restart() {
        babble.restart();
    }

    @Override
    public void stopService(String name) {
        babble.console("stop " + name);
    }

    @Override
    public void startService(String name) {
        babble.console("start " + name);
    }

    @Override
    public void restartService(String name) {
        babble.console("restart " + name);
    }

    /** Types a command into the running launcher ({@code kill messages}, {@code status}). */
    public String console(String command) {
        return babble.console(command);
    }

    /**
     * Kills one service's process with SIGKILL from outside the launcher, as a crash or the kernel's OOM killer
     * would (processes mode; the console's {@code kill} is a deliberate stop the launcher knows of).
     */
    public long killFromOutside(String service) {
        var process = babble.processes().stream().filter(p -> LocalBabble.serviceOf(p).filter(service::equals).isPresent())
                .findFirst().orElseThrow(() -> new IllegalStateException("no process of " + service));
        process.destroyForcibly();
        return process.pid();
    }

    /** The launcher's status: every part, with "(not ready)" or "(stopped)" after those that are. */
    public String status() {
        return console("status");
    }

    /** The port of one part (processes mode: {@code jobs-2}), as the launcher's status names it ({@code jobs-2:40123}). */
    public int portOf(String part) {
        String status = status();
        var port = java.util.regex.Pattern.compile("[\\[ ]" + java.util.regex.Pattern.quote(part) + ":(\\d+)").matcher(status);
        if (!port.find()) {
            throw new IllegalStateException("no part named " + part + " in the status: " + status);
        }
        return Integer.parseInt(port.group(1));
    }

    /** Starts every part the launcher's status says is stopped (a test before stopped or killed it). */
    public void startStoppedParts() {
        var stopped = java.util.regex.Pattern.compile("([\\w-]+):\\d+ \\(stopped\\)").matcher(status());
        while (stopped.find()) {
            startService(stopped.group(1));
        }
    }

    /**
     * Waits until every part of the deployment answers ready (the launcher's {@code status}) and every gateway's
     * {@code /health/ready} answers 200; answers how long that took.
     */
    public Duration awaitReady(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String status = "";
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                status = status();
                if (!status.contains("(not ready)") && !status.contains("(stopped)") && gatewaysReady(http)) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                sleep(100);
            }
        }
        throw new AssertionError("the deployment was not ready within " + timeout + ": " + status);
    }

    private boolean gatewaysReady(HttpClient http) {
        for (URI gateway : gateways()) {
            try {
                var response = http.send(HttpRequest.newBuilder(gateway.resolve("/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /** What the launcher printed since it last started (its log keeps every start of a deployment of this name). */
    public String launcherOutput() {
        try {
            String all = java.nio.file.Files.readString(babble.log());
            int last = all.lastIndexOf("---- started ");
            return last < 0 ? all : all.substring(last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its namespace on the shared servers (processes mode). */
    public String namespace() {
        return babble.namespace();
    }

    /** The PostgreSQL database of one service in processes mode: {@code <namespace>_<service>}. */
    public String databaseOf(String service) {
        return namespace() + "_" + service.replace('-', '_');
    }

    /** Whether the PostgreSQL database of {@code service} exists (processes mode). */
    public boolean databaseExists(String service) {
        return psql("select count(*) from pg_database where datname = '" + databaseOf(service) + "'").strip().equals("1");
    }

    /**
     * Drops the PostgreSQL database of {@code service} (processes mode), as an operator deletes a store: stop the
     * service first (its next start creates the database again, empty). Answers whether there was one to drop.
     */
    public boolean dropDatabase(String service) {
        boolean existed = databaseExists(service);
        psql("drop database if exists \"" + databaseOf(service) + "\" with (force)");
        if (databaseExists(service)) {
            throw new IllegalStateException("the database " + databaseOf(service) + " is still there");
        }
        return existed;
    }

    /** Runs one SQL statement with psql on the deployment's PostgreSQL server (BABBLE_POSTGRES_URL, as the launcher reads it). */
    private String psql(String sql) {
        var settings = new HashMap<>(System.getenv());
        settings.putAll(environment);
        String raw = settings.getOrDefault("BABBLE_POSTGRES_URL", "postgresql://127.0.0.1:5432");
        URI url = URI.create(raw.startsWith("jdbc:") ? raw.substring(5) : raw);
        String user = settings.getOrDefault("BABBLE_POSTGRES_USER", "postgres");
        String password = settings.getOrDefault("BABBLE_POSTGRES_PASSWORD", "");
        if (url.getUserInfo() != null) {
            String[] parts = url.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : password;
        }
        var builder = new ProcessBuilder("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", url.getHost(), "-p", Integer.toString(url.getPort() < 0 ? 5432 : url.getPort()),
                "-U", user, "-d", "postgres", "-c", sql).redirectErrorStream(true);
        builder.environment().put("PGCONNECT_TIMEOUT", "5");
        if (!password.isEmpty()) {
            builder.environment().put("PGPASSWORD", password);
        }
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("psql " + sql + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        babble.close();
    }
}
