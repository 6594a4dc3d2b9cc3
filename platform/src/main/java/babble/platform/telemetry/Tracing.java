package babble.platform.telemetry;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The traces of the services in one JVM: where finished spans go ({@code BABBLE_OTEL_EXPORTER}: {@code none}, the
 * default, or {@code otlp} to {@code BABBLE_OTEL_ENDPOINT}), and a {@link ServiceTracer} per service.
 *
 * <p>Each service gets its own tracer provider, whose resource says {@code service.name}: that is what a tracing
 * backend groups and names spans by, so in the all-in-one mode (a dozen services in one JVM) each still shows as
 * itself, exactly as in processes mode. A span attribute would not do that, and an instrumentation scope names the
 * library, not the service. The providers share one span processor, so a JVM holds one bounded export queue, one
 * export thread and one connection to the collector, however many services it runs.
 *
 * <p>With no exporter, spans are still made (sampled, so their ids propagate as sampled to processes that do
 * export) but go nowhere: they only give logs and calls their trace ids, at the cost of a few small objects each.
 */
public final class Tracing implements AutoCloseable {
    /** How many finished spans wait for export at most; beyond that, new ones are dropped (never waited on). */
    static final int MAX_QUEUED_SPANS = 2048;
    private static final int MAX_EXPORT_BATCH = 512;

    public enum Exporter { NONE, OTLP }

    private final SpanProcessor processor;

    private Tracing(SpanProcessor processor) {
        this.processor = processor;
    }

    /** From {@code BABBLE_OTEL_EXPORTER} and {@code BABBLE_OTEL_ENDPOINT}. */
    public static Tracing from(Config config) {
        return switch (config.choice("OTEL_EXPORTER", Exporter.NONE)) {
            case NONE -> off();
            case OTLP -> new Tracing(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                            .setEndpoint(tracesEndpoint(config).toString())
                            .setTimeout(Duration.ofSeconds(10))
                            .build())
                    .setMaxQueueSize(MAX_QUEUED_SPANS)
                    .setMaxExportBatchSize(MAX_EXPORT_BATCH)
                    .setScheduleDelay(Duration.ofSeconds(1))
                    .setExporterTimeout(Duration.ofSeconds(10))
                    .build());
        };
    }

    /** Every span exported the moment it ends (tests: an in-memory exporter). */
    public static Tracing exportingTo(SpanExporter exporter) {
        return new Tracing(SimpleSpanProcessor.create(exporter));
    }

    /** Spans made for their ids only, exported nowhere. */
    public static Tracing off() {
        return new Tracing(new IdsOnly());
    }

    /**
     * The OTLP/HTTP address of traces: {@code BABBLE_OTEL_ENDPOINT} is the collector's base URL (as the standard
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT}), to which {@code /v1/traces} is added unless a path is given.
     */
    static URI tracesEndpoint(Config config) {
        URI base = config.uri("OTEL_ENDPOINT", "http://127.0.0.1:4318");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new ConfigException(config.nameOf("OTEL_ENDPOINT") + " must be an http or https URL (OTLP over HTTP), got '"
                    + base + "'");
        }
        String path = base.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? base.resolve("/v1/traces") : base;
    }

    /** The tracer of one service: its spans carry its name, version and the deployment's namespace. */
    public ServiceTracer forService(String service, String version, String namespace) {
        return new ServiceTracer(service, version, namespace, new Shared(processor));
    }

    @Override
    public void close() {
        processor.shutdown().join(10, TimeUnit.SECONDS); // exports what is queued
    }

    /**
     * Takes no span. The SDK makes no span at all (invalid ids) for a provider without processors, so with no
     * exporter this one stands in, and spans are still made and sampled, for their ids.
     */
    private static final class IdsOnly implements SpanProcessor {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    /** The JVM's processor as one service's provider sees it: a provider shutting down leaves it to the others. */
    private record Shared(SpanProcessor processor) implements SpanProcessor {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {
            processor.onStart(parent, span);
        }

        @Override
        public boolean isStartRequired() {
            return processor.isStartRequired();
        }

        @Override
        public void onEnd(ReadableSpan span) {
            processor.onEnd(span);
        }

        @Override
        public boolean isEndRequired() {
            return processor.isEndRequired();
        }

        @Override
        public CompletableResultCode forceFlush() {
            return processor.forceFlush();
        }

        @Override
        public CompletableResultCode shutdown() {
            // A service stopping alone (the console's "stop quotes") never waits on the collector: what it traced
            // goes with the rest, and the JVM's close exports what is left.
            return CompletableResultCode.ofSuccess();
        }
    }
}
