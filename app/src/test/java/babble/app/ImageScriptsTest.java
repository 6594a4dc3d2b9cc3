package babble.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scripts that build and check the images (deploy/images) agree with the launcher. */
class ImageScriptsTest {
    private static final Path IMAGES = Path.of("").toAbsolutePath().getParent().resolve("deploy/images");

    @Test
    void theImageBuildFindsEveryServiceWithItsPort() throws Exception {
        String listed = run(List.of("bash", IMAGES.resolve("build.sh").toString(), "--list"), Map.of()).output();

        var expected = Catalog.entries().stream().map(e -> e.name() + " " + e.defaultPort()).toList();
        assertThat(listed.lines().toList()).isEqualTo(expected);
    }

    @Test
    void theHealthProbeSucceedsOnlyWhenTheServiceAnswersReady() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/health/live", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            String port = Integer.toString(server.getAddress().getPort());

            assertThat(probe(List.of("users", port), Map.of()).code()).isZero();
            assertThat(probe(List.of("users", port, "/health/live"), Map.of()).code()).isEqualTo(1);
            assertThat(probe(List.of("users", Integer.toString(closedPort())), Map.of()).code()).isEqualTo(1);
            // The service's own port setting wins over the image's default, as the service reads it.
            assertThat(probe(List.of("users", Integer.toString(closedPort())), Map.of("BABBLE_USERS_PORT", port)).code())
                    .isZero();
            assertThat(probe(List.of("users", Integer.toString(closedPort())), Map.of("BABBLE_PORT", port)).code())
                    .isZero();
        } finally {
            server.stop(0);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result probe(List<String> arguments, Map<String, String> environment) throws Exception {
        var command = new java.util.ArrayList<>(List.of("bash", IMAGES.resolve("bin/probe").toString()));
        command.addAll(arguments);
        return run(command, environment);
    }

    private static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("BABBLE_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
