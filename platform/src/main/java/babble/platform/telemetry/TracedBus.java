package babble.platform.telemetry;

import babble.platform.bus.BatchEventHandler;
import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.EventHandler;
import babble.platform.bus.Subscription;
import java.util.List;
import java.util.UUID;

/**
 * The JVM's bus as one service sees it: every event it handles, from a durable consumer or a live listener, is
 * handled inside a consumer span of the service, child of the span that wrote the event. Publishing is unchanged:
 * events carry their trace context in their meta, put there when they are written to the outbox.
 */
public final class TracedBus implements Bus {
    private final Bus bus;
    private final ServiceTracer tracer;

    public TracedBus(Bus bus, ServiceTracer tracer) {
        this.bus = bus;
        this.tracer = tracer;
    }

    @Override
    public Subscription consume(String consumerName, String subjectFilter, EventHandler handler, StartFrom start) {
        return bus.consume(consumerName, subjectFilter, traced(handler, consumerName), start);
    }

    @Override
    public Subscription listen(String subjectFilter, EventHandler handler) {
        return bus.listen(subjectFilter, traced(handler, null));
    }

    private EventHandler traced(EventHandler handler, String consumer) {
        if (handler instanceof BatchEventHandler batch) {
            return new TracedBatch(batch, consumer); // still a batch handler: adapters hand it whole batches
        }
        return event -> handle(handler, event, consumer);
    }

    private void handle(EventHandler handler, Event event, String consumer) throws Exception {
        try (var span = tracer.startConsumer(event, consumer)) {
            try {
                handler.handle(event);
            } catch (Exception | Error e) {
                span.failed(e);
                throw e;
            }
        }
    }

    private final class TracedBatch implements BatchEventHandler {
        private final BatchEventHandler handler;
        private final String consumer;

        TracedBatch(BatchEventHandler handler, String consumer) {
            this.handler = handler;
            this.consumer = consumer;
        }

        @Override
        public void handle(Event event) throws Exception {
            TracedBus.this.handle(handler, event, consumer);
        }

        @Override
        public void handleAll(List<Event> events) throws Exception {
            try (var span = tracer.startConsumer(events, consumer)) {
                try {
                    handler.handleAll(events);
                } catch (Exception | Error e) {
                    span.failed(e);
                    throw e;
                }
            }
        }
    }

    @Override
    public void publish(String subject, UUID eventId, byte[] payload) {
        bus.publish(subject, eventId, payload);
    }

    @Override
    public void broadcast(String subject, byte[] payload) {
        bus.broadcast(subject, payload);
    }

    @Override
    public void publishAll(List<Outgoing> events) {
        bus.publishAll(events);
    }

    @Override
    public void onLiveGap(Runnable listener) {
        bus.onLiveGap(listener);
    }

    @Override
    public long storedEvents(String stream) {
        return bus.storedEvents(stream);
    }

    @Override
    public void resetConsumer(String consumerName, String subjectFilter) {
        bus.resetConsumer(consumerName, subjectFilter);
    }

    @Override
    public boolean isReady() {
        return bus.isReady();
    }

    /** The bus belongs to the JVM and is closed with it ({@code Infrastructure}), not by one of its services. */
    @Override
    public void close() {
    }
}
