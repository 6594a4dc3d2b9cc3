package babble.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.platform.Infrastructure;
import babble.platform.Launcher;
import babble.platform.Service;
import babble.platform.config.Config;
import babble.platform.json.Json;
import babble.platform.telemetry.Tracing;
import babble.platform.testing.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code !quote} posted through the gateway and the bot's answer are one trace: gateway → messages → (outbox,
 * bus) → bot → quotes, and bot → messages for the reply, every span's parent in the same trace. The services on
 * that path run in this JVM, as in the all-in-one mode, on the bus and stores of the adapters under test; spans
 * are kept in memory.
 */
class TracesTest {
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final InMemorySpanExporter exported = InMemorySpanExporter.create();
    static final HttpClient http = HttpClient.newHttpClient();
    static Launcher launcher;
    static URI gateway;

    @BeforeAll
    static void start() throws Exception {
        var settings = new HashMap<>(TestStores.freshSettings());
        settings.put("BABBLE_ARGON2_MEMORY_KIB", "1024");
        settings.put("BABBLE_ACCESS_LOG", "off");
        // Only the services on the path run; the gateway's other targets are named but never called.
        var onThePath = List.of("users", "rooms", "messages", "quotes", "bot", "gateway");
        for (String other : Catalog.names()) {
            if (!onThePath.contains(other)) {
                settings.put("BABBLE_" + Config.normalize(other) + "_URL", "http://127.0.0.1:9");
            }
        }
        TestStores.dropOnExit(settings);
        List<Service> services = onThePath.stream().map(name -> Catalog.find(name).orElseThrow().factory().get()).toList();
        launcher = Launcher.start(Infrastructure.create(Config.of(settings), Tracing.exportingTo(exported)), services);
        gateway = launcher.host("gateway").orElseThrow().url();
    }

    @AfterAll
    static void stop() {
        if (launcher != null) {
            launcher.close();
        }
        http.close();
    }

    @Test
    void aQuoteAskedThroughTheGatewayAndTheBotsAnswerAreOneTraceAcrossEveryServiceOnTheWay() {
        String token = signUpAndIn("tracer" + UUID.randomUUID().toString().substring(0, 8));
        String roomId = call("POST", "/api/v1/rooms", Map.of("name", "traces"), token).get("id").asText();

        call("POST", "/api/v1/rooms/" + roomId + "/messages", Map.of("text", "!quote"), token);
        await().atMost(Duration.ofSeconds(20)).until(() -> botAnswered(roomId, token));

        String posted = "/api/v1/rooms/" + roomId + "/messages";
        SpanData post = the(exported.getFinishedSpanItems(), s -> s.getKind() == SpanKind.SERVER
                && "gateway".equals(service(s)) && posted.equals(s.getAttributes().get(URL_PATH))
                && "POST".equals(s.getAttributes().get(HTTP_METHOD)));
        String traceId = post.getTraceId();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> trace = exported.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));

            assertThat(trace).extracting(TracesTest::service).contains("gateway", "messages", "bot", "quotes");
            assertThat(trace).filteredOn(s -> !s.getParentSpanContext().isValid()).extracting(SpanData::getSpanId)
                    .containsExactly(post.getSpanId());
            assertThat(trace).filteredOn(s -> !s.getSpanId().equals(post.getSpanId()))
                    .allSatisfy(s -> assertThat(byId).as("the parent of %s (%s)", s.getName(), service(s))
                            .containsKey(s.getParentSpanId()));

            SpanData quotes = first(trace, s -> s.getKind() == SpanKind.SERVER && "quotes".equals(service(s)));
            assertThat(ancestry(quotes, byId)).containsExactly(
                    "quotes SERVER", "bot CLIENT", "bot CONSUMER", "messages PRODUCER", "messages SERVER",
                    "gateway CLIENT", "gateway SERVER");
            SpanData botConsumer = byId.get(byId.get(quotes.getParentSpanId()).getParentSpanId());
            assertThat(botConsumer.getName()).isEqualTo("process message.created");

            SpanData reply = first(trace, s -> s.getKind() == SpanKind.SERVER && "messages".equals(service(s))
                    && byId.containsKey(s.getParentSpanId()) && "bot".equals(service(byId.get(s.getParentSpanId()))));
            assertThat(reply.getName()).startsWith("POST ");
            assertThat(ancestry(reply, byId)).startsWith("messages SERVER", "bot CLIENT", "bot CONSUMER")
                    .endsWith("gateway SERVER");
        });
    }

    private static String service(SpanData span) {
        return span.getResource().getAttribute(SERVICE_NAME);
    }

    /** "service KIND" of the span and of each of its ancestors, up to the root. */
    private static List<String> ancestry(SpanData span, Map<String, SpanData> byId) {
        var chain = new ArrayList<String>();
        for (SpanData s = span; s != null; s = byId.get(s.getParentSpanId())) {
            chain.add(service(s) + " " + s.getKind());
        }
        return chain;
    }

    private static SpanData the(List<SpanData> spans, Predicate<SpanData> which) {
        var found = spans.stream().filter(which).toList();
        assertThat(found).as("spans like that among %s", names(spans)).hasSize(1);
        return found.getFirst();
    }

    /** The first such span (a call retried once makes two). */
    private static SpanData first(List<SpanData> spans, Predicate<SpanData> which) {
        var found = spans.stream().filter(which).toList();
        assertThat(found).as("spans like that among %s", names(spans)).isNotEmpty();
        return found.getFirst();
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(s -> service(s) + ": " + s.getKind() + " " + s.getName()).toList();
    }

    private static boolean botAnswered(String roomId, String token) {
        JsonNode messages = call("GET", "/api/v1/rooms/" + roomId + "/messages", null, token).get("messages");
        for (JsonNode m : messages) {
            if ("babblebot".equals(m.get("username").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String signUpAndIn(String username) {
        var credentials = Map.of("username", username, "password", "correct horse battery");
        call("POST", "/api/v1/users", credentials, null);
        return call("POST", "/api/v1/sessions", credentials, null).get("token").asText();
    }

    private static JsonNode call(String method, String path, Object body, String token) {
        var request = HttpRequest.newBuilder(gateway.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("%s %s: %s", method, path, new String(response.body()))
                    .isBetween(200, 299);
            return Json.tree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
