package babble.platform.telemetry;

import babble.platform.bus.Event;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One service's tracer: the server span of each request it answers (continuing the caller's trace from the W3C
 * {@code traceparent} header), the consumer span of each event it handles (continuing the trace of the request
 * that wrote the event), and, through the current context, the client spans of its calls and the producer spans
 * of its events.
 *
 * <p>The tracer travels in the current OpenTelemetry {@link Context} beside the span: a {@code ServiceClient} call
 * or an outbox write knows only the thread it runs on, and in the all-in-one mode several services share the JVM,
 * so the context (set by this service's server or consumer span) is what says whose call or event it is.
 */
public final class ServiceTracer implements AutoCloseable {
    /** Event meta and HTTP headers carry the W3C trace context under these names. */
    public static final String TRACEPARENT = "traceparent";
    static final ContextKey<ServiceTracer> KEY = ContextKey.named("babble.service-tracer");
    static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> MESSAGING_CONSUMER = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> MESSAGING_BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    static final String BUS = "babble";

    private final String service;
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    ServiceTracer(String service, String version, String namespace, SpanProcessor processor) {
        this.service = service;
        var builder = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), service,
                        AttributeKey.stringKey("service.version"), version,
                        AttributeKey.stringKey("service.namespace"), namespace))))
                // Every trace is kept: without an exporter nothing is recorded beyond the span itself, and with one the
                // collector is the place to sample (tail sampling sees whole traces).
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()));
        this.provider = builder.addSpanProcessor(processor).build();
        this.tracer = provider.get("babble.platform");
    }

    public String service() {
        return service;
    }

    /** A server span for a request, child of the caller's span when its headers carry one; current until closed. */
    public ActiveSpan startServer(String method, String path, Function<String, String> header) {
        Context parent = W3C.extract(Context.root(), header, HEADERS);
        Span span = tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(HTTP_METHOD, method)
                .setAttribute(URL_PATH, path)
                .startSpan();
        return ActiveSpan.open(span, parent.with(span).with(KEY, this), service);
    }

    /** A consumer span for one event, child of the span that wrote it (its meta carries the trace context). */
    public ActiveSpan startConsumer(Event event, String consumer) {
        Context parent = W3C.extract(Context.root(), meta(event), META);
        SpanBuilder builder = tracer.spanBuilder("process " + event.type()).setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, BUS)
                .setAttribute(MESSAGING_OPERATION, "process")
                .setAttribute(MESSAGING_DESTINATION, event.subject())
                .setAttribute(MESSAGING_MESSAGE_ID, String.valueOf(event.id()));
        if (consumer != null) {
            builder.setAttribute(MESSAGING_CONSUMER, consumer);
        }
        Span span = builder.startSpan();
        return ActiveSpan.open(span, parent.with(span).with(KEY, this), service);
    }

    /**
     * One consumer span for events handled together: the child of their writer when they all come from one span
     * (an import's batch), otherwise a trace of its own linked to each event's (what messaging conventions do).
     */
    public ActiveSpan startConsumer(List<Event> events, String consumer) {
        if (events.size() == 1) {
            return startConsumer(events.getFirst(), consumer);
        }
        String type = events.getFirst().type();
        SpanContext common = null;
        boolean shared = true;
        SpanBuilder builder = tracer.spanBuilder("process " + type).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, BUS)
                .setAttribute(MESSAGING_OPERATION, "process")
                .setAttribute(MESSAGING_BATCH_COUNT, (long) events.size());
        if (consumer != null) {
            builder.setAttribute(MESSAGING_CONSUMER, consumer);
        }
        for (Event event : events) {
            SpanContext writer = Span.fromContext(W3C.extract(Context.root(), meta(event), META)).getSpanContext();
            if (writer.isValid()) {
                builder.addLink(writer);
            }
            shared = shared && writer.isValid() && (common == null || common.equals(writer));
            common = writer;
            if (!type.equals(event.type())) {
                type = "events";
            }
        }
        builder.setParent(shared ? Context.root().with(Span.wrap(common)) : Context.root());
        Span span = builder.startSpan();
        span.updateName("process " + type);
        return ActiveSpan.open(span, Context.root().with(span).with(KEY, this), service);
    }

    /**
     * Runs one call to {@code target} inside a client span, child of the current span; the call's headers get the
     * span's context with {@link #injectCurrent}. With no current span of a service (a background task), the call
     * is made as it is and the callee starts a trace of its own.
     */
    public static <T> T traceCall(String target, String method, String path, Callable<T> call, ToIntFunction<T> status)
            throws Exception {
        Context current = Context.current();
        ServiceTracer caller = current.get(KEY);
        if (caller == null) {
            return call.call();
        }
        Span span = caller.tracer.spanBuilder(method + " " + target).setParent(current).setSpanKind(SpanKind.CLIENT)
                .setAttribute(HTTP_METHOD, method)
                .setAttribute(SERVER_ADDRESS, target)
                .setAttribute(URL_PATH, path)
                .startSpan();
        Scope scope = current.with(span).makeCurrent();
        try {
            T result = call.call();
            int code = status.applyAsInt(result);
            span.setAttribute(HTTP_STATUS, code);
            if (code >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            return result;
        } catch (Exception | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            span.recordException(e);
            throw e;
        } finally {
            scope.close();
            span.end();
        }
    }

    /** A producer span (writing events of {@code type} to the outbox), child of {@code cause}; ended by the caller. */
    Span producer(Context cause, String type, String subject) {
        return ProducerSpans.start(tracer, cause, type, subject);
    }

    /** Adds the current trace context to outgoing headers ({@code traceparent}, and {@code tracestate} if any). */
    public static void injectCurrent(Map<String, String> headers) {
        W3C.inject(Context.current(), headers, PUT);
    }

    /** The trace id of the current span, or null outside any trace. */
    public static String currentTraceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    @Override
    public void close() {
        provider.close(); // the shared processor stays open for the other services (see Tracing)
    }

    private static Map<String, String> meta(Event event) {
        return event.meta() == null ? Map.of() : event.meta();
    }

    static final TextMapSetter<Map<String, String>> PUT = (carrier, key, value) -> Objects.requireNonNull(carrier).put(key, value);

    private static final TextMapGetter<Map<String, String>> META = (carrier, key) -> carrier == null ? null : carrier.get(key);

    private static final TextMapGetter<Function<String, String>> HEADERS =
            (carrier, key) -> carrier == null ? null : carrier.apply(key);
}
