package babble.platform.bus;

import babble.platform.config.ConfigException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.Dispatcher;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus on NATS JetStream. Each stream (the first word of a subject: user, session, room, message) is a
 * JetStream stream kept on disk for the retention period; publishes carry the event id as {@code Nats-Msg-Id},
 * so a republished event is stored once; durable consumers are pull consumers with explicit acks; live
 * listeners are plain NATS subscriptions. Everything lives under a namespace ({@code BABBLE_NAMESPACE}), so
 * several deployments can share one NATS server.
 */
public final class NatsBus implements Bus {
    private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
    private static final int FETCH = 100;
    private static final Duration PULL_LIFE = Duration.ofSeconds(2);
    private static final Duration DRAIN_LIMIT = PULL_LIFE.plusSeconds(3);

    private final Connection nats;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final String namespace;
    private final Duration retention;
    private final Set<String> permanentStreams;
    private final Dispatcher dispatcher;
    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private final List<Thread> consumers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private NatsBus(Connection nats, String namespace, Duration retention, Set<String> permanentStreams) throws IOException {
        this.nats = nats;
        this.jetStream = nats.jetStream();
        this.management = nats.jetStreamManagement();
        this.namespace = namespace;
        this.retention = retention;
        this.permanentStreams = Set.copyOf(permanentStreams);
        this.dispatcher = nats.createDispatcher();
    }

    /** Connects, waiting up to {@code startupTimeout} for the server; a bad URL fails at once naming the setting. */
    public static NatsBus connect(String url, String namespace, String clientName, Duration retention,
                                  Duration startupTimeout) {
        return connect(url, namespace, clientName, retention, Set.of(), startupTimeout);
    }

    /** The same, keeping the events of {@code permanentStreams} for ever (read models are rebuilt from them). */
    public static NatsBus connect(String url, String namespace, String clientName, Duration retention,
                                  Set<String> permanentStreams, Duration startupTimeout) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BABBLE_NATS_URL must look like nats://host:4222, got '" + url + "'");
        }
        if (!"nats".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigException("BABBLE_NATS_URL must look like nats://host:4222, got '" + url + "'");
        }
        var holder = new NatsBus[1];
        Options options = new Options.Builder()
                .server(url)
                .connectionName(clientName)
                .connectionTimeout(Duration.ofSeconds(2))
                .reconnectWait(Duration.ofMillis(250))
                .maxReconnects(-1)
                .pingInterval(Duration.ofSeconds(5))
                .connectionListener((connection, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED) {
                        log.warn("lost the connection to NATS at {}; reconnecting", url);
                    } else if (event == ConnectionListener.Events.RESUBSCRIBED && holder[0] != null) {
                        log.info("reconnected to NATS at {}", url);
                        holder[0].gapListeners.forEach(Runnable::run); // live messages may have been missed meanwhile
                    }
                })
                .build();
        Instant deadline = Instant.now().plus(startupTimeout);
        while (true) {
            try {
                var bus = new NatsBus(Nats.connect(options), namespace, retention, permanentStreams);
                holder[0] = bus;
                return bus;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new ConfigException("cannot reach NATS at " + url + " (BABBLE_NATS_URL): " + e.getMessage(), e);
                }
                log.warn("waiting for NATS at {}: {}", url, e.getMessage());
                sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting to NATS", e);
            }
        }
    }

    @Override
    public void publish(String subject, UUID eventId, byte[] payload) {
        String stream = ensureStream(Event.streamOf(subject));
        try {
            jetStream.publish(wire(subject), payload,
                    PublishOptions.builder().messageId(eventId.toString()).expectedStream(stream).build());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("NATS did not store " + subject + ": " + e.getMessage(), e);
        }
    }

    /** Core NATS: no stream holds the subject, so the server passes it to current subscribers and forgets it. */
    @Override
    public void broadcast(String subject, byte[] payload) {
        if (subject.startsWith(Event.SUBJECT_PREFIX)) {
            throw new IllegalArgumentException("a broadcast is not stored: not under " + Event.SUBJECT_PREFIX + ", " + subject);
        }
        nats.publish(wire(subject), payload);
    }

    /** Pipelined: every publish is sent, then every acknowledgement awaited. */
    @Override
    public void publishAll(List<Outgoing> events) {
        var acks = new java.util.ArrayList<java.util.concurrent.CompletableFuture<io.nats.client.api.PublishAck>>(events.size());
        for (Outgoing e : events) {
            String stream = ensureStream(Event.streamOf(e.subject()));
            acks.add(jetStream.publishAsync(wire(e.subject()), e.payload(),
                    PublishOptions.builder().messageId(e.eventId().toString()).expectedStream(stream).build()));
        }
        for (var ack : acks) {
            try {
                ack.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("NATS did not store a batch of " + events.size() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }
    }

    @Override
    public Subscription consume(String consumerName, String subjectFilter, EventHandler handler, StartFrom start) {
        String stream = ensureStream(Subjects.streamOf(subjectFilter));
        String durable = durableName(consumerName);
        var running = new AtomicBoolean(true);
        Thread thread = Thread.ofVirtual().name("nats-consumer-" + consumerName)
                .start(() -> consumeForever(stream, durable, wire(subjectFilter), handler, start, running));
        consumers.add(thread);
        return () -> {
            running.set(false);
            try {
                thread.join(DRAIN_LIMIT.plusSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumers.remove(thread);
        };
    }

    private void consumeForever(String stream, String durable, String filter, EventHandler handler, StartFrom start,
                                AtomicBoolean running) {
        IterableConsumer consumer = null;
        while (running.get() && !closed) {
            try {
                if (consumer == null) {
                    ensureConsumer(stream, durable, filter, start);
                    // Iterate, not fetch: a fetch returns only when its batch is full or its wait ends, which holds
                    // a lone event back for up to the whole wait. Iterating hands each event over as it arrives
                    // while the library keeps pulls open. Short-lived pulls, because a stopping consumer must
                    // drain what its open pull still brings (see drain).
                    consumer = nats.getConsumerContext(stream, durable)
                            .iterate(ConsumeOptions.builder().batchSize(FETCH).expiresIn(PULL_LIFE.toMillis()).build());
                }
                Message message = consumer.nextMessage(Duration.ofSeconds(1));
                if (message != null && handler instanceof BatchEventHandler batch) {
                    // What has already arrived goes with it, up to a pull's worth (a replay goes by hundreds).
                    var messages = new java.util.ArrayList<Message>(List.of(message));
                    Message more;
                    while (messages.size() < FETCH && (more = consumer.nextMessage(Duration.ofMillis(1))) != null) {
                        messages.add(more);
                    }
                    deliverAll(messages, batch, durable);
                } else if (message != null) {
                    deliver(message, handler, durable);
                }
            } catch (IOException | JetStreamApiException | JetStreamStatusCheckedException | RuntimeException e) {
                if (!running.get() || closed) {
                    break;
                }
                log.warn("NATS consumer {} cannot fetch yet: {}", durable, e.toString());
                if (consumer != null) {
                    consumer.stop();
                }
                consumer = null;
                sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (consumer != null && nats.getStatus() == Connection.Status.CONNECTED) {
            drain(consumer, handler, durable);
        }
    }

    /**
     * Stops pulling and handles what was already pulled or is still on its way, until the open pull has ended.
     * Events left in a stopped client would otherwise wait out the ack timeout (30 s) before this service,
     * restarted, or another instance of it got them again. The service's other parts are still up: a chassis
     * closes its consumers first.
     */
    private void drain(IterableConsumer consumer, EventHandler handler, String durable) {
        try {
            consumer.stop();
            long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                Message left = consumer.nextMessage(Duration.ofMillis(100));
                if (left != null) {
                    deliver(left, handler, durable);
                } else if (consumer.isFinished()) {
                    return;
                }
            }
            log.warn("NATS consumer {} stopped before it could drain (events left will come back after the ack timeout)",
                    durable);
        } catch (JetStreamStatusCheckedException | RuntimeException e) {
            log.debug("draining consumer {}: {}", durable, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands the messages to the batch handler at once and acknowledges them; when it fails, one by one. */
    private void deliverAll(List<Message> messages, BatchEventHandler handler, String durable) {
        if (messages.size() > 1) {
            try {
                var events = new java.util.ArrayList<Event>(messages.size());
                for (Message m : messages) {
                    events.add(Event.decode(m.getData()));
                }
                handler.handleAll(events);
                messages.forEach(Message::ack);
                return;
            } catch (Exception e) {
                log.debug("consumer {}: a batch of {} failed ({}); handling them one by one", durable, messages.size(),
                        e.toString());
            }
        }
        for (Message m : messages) {
            deliver(m, handler, durable);
        }
    }

    private void deliver(Message message, EventHandler handler, String durable) {
        Event event;
        try {
            event = Event.decode(message.getData());
        } catch (RuntimeException e) {
            log.error("consumer {} got an event it cannot read; setting it aside", durable, e);
            message.term();
            return;
        }
        try {
            handler.handle(event);
            message.ack();
        } catch (Exception e) {
            int attempt = (int) Math.max(1, message.metaData().deliveredCount());
            if (Redelivery.shouldGiveUp(attempt, e)) {
                log.atError().addKeyValue("consumer", durable).addKeyValue("event_id", event.id()).setCause(e)
                        .log("consumer {} gave up on event {} after {} attempts", durable, event.id(), attempt);
                message.term();
            } else {
                log.warn("consumer {} failed on event {} (attempt {}): {}", durable, event.id(), attempt, e.toString());
                message.nakWithDelay(Redelivery.backoff(attempt));
            }
        }
    }

    @Override
    public Subscription listen(String subjectFilter, EventHandler handler) {
        io.nats.client.Subscription subscription = dispatcher.subscribe(wire(subjectFilter), message -> {
            try {
                handler.handle(Event.decode(message.getData()));
            } catch (Exception e) {
                log.warn("live listener {} failed: {}", subjectFilter, e.toString());
            }
        });
        try {
            // "From now on" means once the server has the subscription: without this round trip an event
            // published in the next moment could be missed by a listener that just caught up from a store.
            nats.flush(Duration.ofSeconds(2));
        } catch (TimeoutException e) {
            log.warn("live listener {}: the server did not confirm the subscription yet: {}", subjectFilter, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return () -> {
            if (!closed && dispatcher.isActive()) {
                dispatcher.unsubscribe(subscription);
            }
        };
    }

    @Override
    public long storedEvents(String stream) {
        String name = ensureStream(stream);
        try {
            return management.getStreamInfo(name).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read JetStream stream " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void resetConsumer(String consumerName, String subjectFilter) {
        String stream = ensureStream(Subjects.streamOf(subjectFilter));
        String durable = durableName(consumerName);
        try {
            management.deleteConsumer(stream, durable);
            log.info("deleted JetStream consumer {} on {}: it starts again from the beginning", durable, stream);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw new IllegalStateException("cannot reset consumer " + durable + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset consumer " + durable + ": " + e.getMessage(), e);
        }
    }

    private String durableName(String consumerName) {
        return (namespace + "_" + consumerName).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void onLiveGap(Runnable listener) {
        gapListeners.add(listener);
    }

    @Override
    public boolean isReady() {
        return !closed && nats.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread consumer : consumers) {
            try {
                consumer.join(DRAIN_LIMIT.plusSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The subject on the wire: the namespace in front. */
    private String wire(String subject) {
        return namespace + "." + subject;
    }

    /** Creates the JetStream stream for a word (once per process); returns its name. */
    private String ensureStream(String word) {
        String name = (namespace + "_" + word).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_-]", "_");
        if (streams.contains(name)) {
            return name;
        }
        var config = StreamConfiguration.builder()
                .name(name)
                .subjects(wire(Event.SUBJECT_PREFIX + word + ".>"))
                .storageType(StorageType.File)
                .maxAge(permanentStreams.contains(word) ? Duration.ZERO : retention)
                .duplicateWindow(Duration.ofMinutes(10))
                .build();
        try {
            try {
                management.getStreamInfo(name);
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() != 404) {
                    throw e;
                }
                management.addStream(config);
                log.info("created JetStream stream {}", name);
            }
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot set up JetStream stream " + name + ": " + e.getMessage(), e);
        }
        streams.add(name);
        return name;
    }

    private void ensureConsumer(String stream, String durable, String filter, StartFrom start)
            throws IOException, JetStreamApiException {
        try {
            management.getConsumerInfo(stream, durable);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            management.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                    .durable(durable)
                    .filterSubject(filter)
                    .ackPolicy(AckPolicy.Explicit)
                    .ackWait(Duration.ofSeconds(30))
                    .deliverPolicy(start == StartFrom.NEW ? DeliverPolicy.New : DeliverPolicy.All)
                    .maxAckPending(1_000)
                    .build());
            log.info("created JetStream consumer {} on {}", durable, stream);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
