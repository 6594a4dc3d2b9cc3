package babble.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev overlay under {@code podman kube play}: every service's pod starts from its image with the overlay's
 * settings, limits, security context and volumes, answers ready, and the services find each other by their Service
 * names. A smoke test, not Kubernetes ({@link KubePlay} lists what kube play cannot do and what stands in).
 * Needs podman and the images ({@code ./babble image}); run with {@code ./babble test kube-play}.
 */
class KubePlayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String NAMESPACE = "kubeplay_" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration READY_WITHIN = Duration.ofMinutes(5);

    private static Path manifest;
    private static KubePlay play;
    private static URI gateway;

    @BeforeAll
    static void play() throws Exception {
        play = KubePlay.of(Kustomize.overlay("dev"), NAMESPACE);
        for (var pod : play.pods()) {
            try {
                podman(Duration.ofSeconds(30), "image", "exists", pod.image());
            } catch (AssertionError e) {
                throw new AssertionError("no image " + pod.image() + " in podman's storage: build the images first "
                        + "(./babble image)", e);
            }
        }
        removeVolumes(); // left by a run that was killed
        manifest = Files.createTempFile("babble-kube-play-", ".yaml");
        Files.writeString(manifest, play.yaml());
        podman(Duration.ofMinutes(3), "kube", "play", "--replace", manifest.toString());
        int gatewayPort = play.pods().stream().filter(p -> p.name().equals("gateway")).findFirst().orElseThrow().port();
        gateway = URI.create("http://127.0.0.1:" + gatewayPort);
    }

    @AfterAll
    static void down() throws Exception {
        if (manifest != null) {
            try {
                podman(Duration.ofMinutes(2), "kube", "down", manifest.toString());
            } catch (AssertionError e) { // some pods never started: remove the others one by one
                for (var pod : play.pods()) {
                    podman(Duration.ofMinutes(1), "pod", "rm", "--force", "--ignore", pod.name() + "-pod-0");
                }
            }
            removeVolumes();
            Files.deleteIfExists(manifest);
            var drop = new ProcessBuilder(Sources.repository().resolve("babble").toString(), "drop-namespace", NAMESPACE)
                    .redirectErrorStream(true).start();
            drop.getInputStream().transferTo(System.out);
            assertThat(drop.waitFor(2, TimeUnit.MINUTES) && drop.exitValue() == 0)
                    .as("./babble drop-namespace " + NAMESPACE + " succeeded").isTrue();
        }
    }

    private static void removeVolumes() throws Exception {
        for (String claim : play.claims()) {
            podman(Duration.ofMinutes(1), "volume", "rm", "--force", claim);
        }
    }

    @Test
    void everyServiceOfTheDevOverlayRunsAndTheyFindEachOtherByName() throws Exception {
        assertThat(play.pods()).extracting(KubePlay.Pod::name)
                .containsExactlyInAnyOrderElementsOf(Sources.catalog().keySet());
        Instant start = Instant.now();
        var notReady = new ArrayList<>(play.pods());
        try {
            org.awaitility.Awaitility.await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> {
                notReady.removeIf(pod -> status("http://127.0.0.1:" + pod.port() + "/health/ready") == 200);
                return notReady.isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not ready after " + READY_WITHIN + ": " + notReady + "\n" + containerLogs(), e);
        }
        System.out.printf("KUBE PLAY: %d pods ready in %.1f s%n", play.pods().size(),
                Duration.between(start, Instant.now()).toMillis() / 1000.0);

        // Through the gateway: users, rooms, messages, the bus to the bot, the bot to quotes, and search's index.
        String name = "kp_" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", "/api/v1/users", Map.of("username", name, "password", "correct horse battery"), null, 201);
        String token = call("POST", "/api/v1/sessions", Map.of("username", name, "password", "correct horse battery"),
                null, 201).get("token").asText();
        String room = call("POST", "/api/v1/rooms", Map.of("name", "kube play"), token, 201).get("id").asText();
        String word = "kubeplay" + UUID.randomUUID().toString().substring(0, 6);
        call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "hello " + word), token, 201);
        call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "!quote"), token, 201);

        JsonNode reply = await("the bot's answer to !quote", () -> call("GET", "/api/v1/rooms/" + room + "/messages",
                null, token, 200), page -> botMessage(page) != null);
        assertThat(botMessage(reply).get("text").asText()).isNotBlank();
        JsonNode found = await("the message in search", () -> call("GET", "/api/v1/search?kind=message&q=" + word,
                null, token, 200), page -> page.get("total").asInt() > 0);
        assertThat(found.get("results").get(0).get("roomId").asText()).isEqualTo(room);
    }

    private static JsonNode botMessage(JsonNode page) {
        for (JsonNode message : page.get("messages")) {
            if (message.get("username").asText().equals("babblebot")) {
                return message;
            }
        }
        return null;
    }

    private static JsonNode await(String what, java.util.concurrent.Callable<JsonNode> call, Predicate<JsonNode> done) {
        return org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(call, done::test);
    }

    private static JsonNode call(String method, String path, Object body, String token, int expected) throws Exception {
        var request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Every container's state and its last lines: what to read when a pod did not come up. */
    private static String containerLogs() throws Exception {
        var out = new StringBuilder(podman(Duration.ofSeconds(30), "ps", "-a", "--format", "{{.Names}} {{.Status}}"));
        for (String line : out.toString().lines().toList()) {
            String container = line.split(" ")[0];
            if (!container.endsWith("-infra")) {
                out.append("\n== ").append(container).append('\n')
                        .append(podman(Duration.ofSeconds(30), "logs", "--tail", "30", container));
            }
        }
        return out.toString();
    }

    /** Runs podman (with the repository's containers.conf where root's limits need it, as ./babble does). */
    private static String podman(Duration timeout, String... args) throws Exception {
        var command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("podman-", ".out");
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            if (System.getenv("CONTAINERS_CONF") == null && lowOpenFileLimit()) {
                builder.environment().put("CONTAINERS_CONF",
                        Sources.repository().resolve("deploy/images/containers.conf").toString());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Root's hard limit on open files is below podman's default ulimit (deploy/images/containers.conf says why). */
    private static boolean lowOpenFileLimit() throws Exception {
        Process ulimit = new ProcessBuilder("sh", "-c", "ulimit -Hn").redirectErrorStream(true).start();
        String limit = new String(ulimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        ulimit.waitFor();
        return !limit.equals("unlimited") && Long.parseLong(limit) < 1_048_576;
    }
}
