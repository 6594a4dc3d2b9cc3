package babble.platform.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.slf4j.MDC;

/**
 * A span made current on this thread until {@link #close()}: while it is, calls and events carry its trace, and
 * every log line names it ({@code trace_id}, {@code span_id} and {@code service} in the MDC, restored after).
 */
public final class ActiveSpan implements AutoCloseable {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    private static final String SERVICE = "service";

    private final Span span;
    private final Scope scope;
    private final Thread thread;
    private final String previousTraceId;
    private final String previousSpanId;
    private final String previousService;

    private ActiveSpan(Span span, Scope scope, String previousTraceId, String previousSpanId, String previousService) {
        this.span = span;
        this.scope = scope;
        this.thread = Thread.currentThread();
        this.previousTraceId = previousTraceId;
        this.previousSpanId = previousSpanId;
        this.previousService = previousService;
    }

    static ActiveSpan open(Span span, Context context, String service) {
        String traceId = MDC.get(TRACE_ID);
        String spanId = MDC.get(SPAN_ID);
        String previousService = MDC.get(SERVICE);
        var ids = span.getSpanContext();
        MDC.put(TRACE_ID, ids.getTraceId());
        MDC.put(SPAN_ID, ids.getSpanId());
        MDC.put(SERVICE, service);
        return new ActiveSpan(span, context.makeCurrent(), traceId, spanId, previousService);
    }

    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    public String spanId() {
        return span.getSpanContext().getSpanId();
    }

    /** Names a server span after the route that answered ({@code GET /rooms/{roomId}}) and records the status. */
    public void answered(String method, String route, int status) {
        span.updateName(method + " " + route);
        span.setAttribute(ServiceTracer.HTTP_ROUTE, route);
        span.setAttribute(ServiceTracer.HTTP_STATUS, status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
    }

    /** Marks the span failed by {@code error} (a handler that threw). */
    public void failed(Throwable error) {
        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        span.recordException(error);
    }

    /** Ends the span; on the thread that opened it, also makes the previous context and log fields current again. */
    @Override
    public void close() {
        span.end();
        if (Thread.currentThread() != thread) {
            return; // that thread's context is its own business (a request's thread ends with it)
        }
        scope.close();
        restore(TRACE_ID, previousTraceId);
        restore(SPAN_ID, previousSpanId);
        restore(SERVICE, previousService);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
