package babble.platform.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.platform.bus.Event;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Settings of the exporter, one service name per tracer, and how events handled together are traced. */
class TracingTest {
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    final InMemorySpanExporter exported = InMemorySpanExporter.create();

    @Test
    void theExporterIsOffUnlessOtlpIsAskedForAndABadValueNamesTheSetting() {
        try (var off = Tracing.from(Config.of(Map.of()));
             var tracer = off.forService("users", "v1", "babble");
             var span = tracer.startServer("GET", "/x", name -> null)) {
            assertThat(span.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)); // for logs and calls
        }
        try (var otlp = Tracing.from(Config.of(Map.of("BABBLE_OTEL_EXPORTER", "otlp")))) {
            assertThat(otlp).isNotNull();
        }
        assertThatThrownBy(() -> Tracing.from(Config.of(Map.of("BABBLE_OTEL_EXPORTER", "zipkin"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BABBLE_OTEL_EXPORTER");
    }

    @Test
    void withOtlpTheSpansArePostedToTheCollectorAndTheRestOnClose() throws Exception {
        var received = new CopyOnWriteArrayList<String>();
        var collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + new String(body, StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            var tracing = Tracing.from(Config.of(Map.of("BABBLE_OTEL_EXPORTER", "otlp",
                    "BABBLE_OTEL_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort())));
            var tracer = tracing.forService("quotes", "v2", "babble");

            tracer.startServer("GET", "/quotes/random", name -> null).close();
            tracer.close();
            tracing.close();

            assertThat(received).anySatisfy(request -> assertThat(request)
                    .startsWith("POST /v1/traces application/x-protobuf").contains("quotes").contains("GET"));
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void theEndpointIsTheCollectorsBaseUrlUnlessAPathIsGiven() {
        assertThat(Tracing.tracesEndpoint(Config.of(Map.of())).toString()).isEqualTo("http://127.0.0.1:4318/v1/traces");
        assertThat(Tracing.tracesEndpoint(Config.of(Map.of("BABBLE_OTEL_ENDPOINT", "http://collector:4318"))).toString())
                .isEqualTo("http://collector:4318/v1/traces");
        assertThat(Tracing.tracesEndpoint(Config.of(Map.of("BABBLE_OTEL_ENDPOINT", "https://x:443/otlp/v1/traces"))).toString())
                .isEqualTo("https://x:443/otlp/v1/traces");
        assertThatThrownBy(() -> Tracing.tracesEndpoint(Config.of(Map.of("BABBLE_OTEL_ENDPOINT", "grpc://collector:4317"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BABBLE_OTEL_ENDPOINT");
    }

    @Test
    void eachServiceInTheJvmNamesItsOwnSpansAndStoppingOneLeavesTheOthersExporting() {
        var tracing = Tracing.exportingTo(exported);
        var users = tracing.forService("users", "v1", "babble");
        var rooms = tracing.forService("rooms", "v2", "babble");

        users.startServer("GET", "/users/1", name -> null).close();
        users.close();
        rooms.startServer("GET", "/rooms/1", name -> null).close();

        assertThat(exported.getFinishedSpanItems()).extracting(s -> s.getResource().getAttribute(SERVICE_NAME))
                .containsExactly("users", "rooms");
        assertThat(exported.getFinishedSpanItems().get(1).getResource().getAttribute(AttributeKey.stringKey("service.version")))
                .isEqualTo("v2");
        tracing.close();
    }

    @Test
    void eventsHandledTogetherAreChildrenOfTheirOneWriterOrLinkedToTheirSeveralWriters() {
        var tracing = Tracing.exportingTo(exported);
        var tracer = tracing.forService("search", "v1", "babble");
        String writerA = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String writerB = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        tracer.startConsumer(List.of(event(writerA), event(writerA)), "search.index").close();
        tracer.startConsumer(List.of(event(writerA), event(writerB)), "search.index").close();

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).allSatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER));
        assertThat(spans.get(0).getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(spans.get(0).getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(spans.get(1).getParentSpanContext().isValid()).isFalse();
        assertThat(spans.get(1).getLinks()).extracting(LinkData::getSpanContext)
                .extracting(c -> c.getSpanId()).containsExactly("00f067aa0ba902b7", "b7ad6b7169203331");
        tracing.close();
    }

    private static Event event(String traceparent) {
        var meta = new HashMap<String, String>();
        meta.put("traceparent", traceparent);
        return new Event(UUID.randomUUID(), "post.created", 1, Instant.now(), "room", null, meta);
    }
}
