package babble.platform.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The producer spans of events written together to an outbox: one per trace that caused some of them (a batch of
 * chat messages from many requests makes one per request; an import's batch, one), each the child of its cause's
 * span. The events' meta get the producer span's context, so their consumers continue the trace later, on another
 * thread or in another process, when the relay has published them.
 */
public final class ProducerSpans {
    private final Map<Context, Producer> byCause = new IdentityHashMap<>();

    private static final class Producer {
        final Span span;
        long events;

        Producer(Span span) {
            this.span = span;
        }
    }

    /**
     * Puts the trace context of an event caused in {@code cause} into {@code meta}: that of a producer span when the
     * cause belongs to a service's span; the cause's own when it has a span but no service (nothing when neither).
     */
    public void inject(Context cause, String type, String subject, Map<String, String> meta) {
        if (cause == null) {
            return;
        }
        ServiceTracer tracer = cause.get(ServiceTracer.KEY);
        if (tracer == null) {
            ServiceTracer.W3C.inject(cause, meta, ServiceTracer.PUT);
            return;
        }
        Producer producer = byCause.computeIfAbsent(cause, c -> new Producer(tracer.producer(c, type, subject)));
        producer.events++;
        ServiceTracer.W3C.inject(Context.root().with(producer.span), meta, ServiceTracer.PUT);
    }

    /** Ends every producer span, failed when the write failed ({@code error} not null). */
    public void end(Throwable error) {
        for (Producer producer : byCause.values()) {
            if (producer.events > 1) {
                producer.span.setAttribute(ServiceTracer.MESSAGING_BATCH_COUNT, producer.events);
            }
            if (error != null) {
                producer.span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
            }
            producer.span.end();
        }
        byCause.clear();
    }

    static Span start(Tracer tracer, Context cause, String type, String subject) {
        return tracer.spanBuilder("create " + type).setParent(cause).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(ServiceTracer.MESSAGING_SYSTEM, ServiceTracer.BUS)
                .setAttribute(ServiceTracer.MESSAGING_OPERATION, "create")
                .setAttribute(ServiceTracer.MESSAGING_DESTINATION, subject)
                .startSpan();
    }
}
