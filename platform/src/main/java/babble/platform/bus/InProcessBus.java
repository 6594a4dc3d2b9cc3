package babble.platform.bus;

import babble.platform.db.Database;
import babble.platform.db.Sql;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus for one JVM (all-in-one mode). Streams are kept in an embedded database, so durable consumers resume
 * after a restart and replay from the start; live listeners are fed from memory. Publishes are serialized so
 * positions become visible in order, and no consumer can read past an event still being written.
 */
public final class InProcessBus implements Bus {
    private static final Logger log = LoggerFactory.getLogger(InProcessBus.class);
    private static final int BATCH = 256;
    private static final int LISTENER_BUFFER = 65_536;

    private final Database store;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition published = signalLock.newCondition();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, AtomicLong> publishedPerStream = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong publishedAll = new AtomicLong();
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private final Duration retention;
    private final java.util.Set<String> permanentStreams;
    private final Thread pruner;
    private volatile boolean closed;

    public InProcessBus(Database store, Duration retention) {
        this(store, retention, java.util.Set.of());
    }

    /** Events older than {@code retention} are pruned, except on {@code permanentStreams} (kept for replays). */
    public InProcessBus(Database store, Duration retention, java.util.Set<String> permanentStreams) {
        this.store = store;
        this.retention = retention;
        this.permanentStreams = java.util.Set.copyOf(permanentStreams);
        store.migrate("db/bus", "bus_schema_history");
        this.pruner = Thread.ofVirtual().name("bus-pruner").start(this::pruneForever);
    }

    @Override
    public void publish(String subject, UUID eventId, byte[] payload) {
        publishAll(List.of(new Outgoing(subject, eventId, payload)));
    }

    /** Stores the batch in one transaction, then hands the new ones to live listeners and wakes consumers. */
    @Override
    public void publishAll(List<Outgoing> events) {
        if (closed) {
            throw new IllegalStateException("the bus is closed");
        }
        List<Outgoing> stored;
        writeLock.lock();
        try {
            stored = store.inTransaction(h -> {
                var fresh = new java.util.ArrayList<Outgoing>(events.size());
                var insert = h.prepareBatch("""
                        insert into bus_events (event_id, stream, subject, payload, published_at)
                        values (:id, :stream, :subject, :payload, :at) on conflict do nothing""");
                var at = Sql.utc(Instant.now());
                for (Outgoing e : events) {
                    insert.bind("id", e.eventId())
                            .bind("stream", Event.streamOf(e.subject()))
                            .bind("subject", e.subject())
                            .bind("payload", new String(e.payload(), StandardCharsets.UTF_8))
                            .bind("at", at)
                            .add();
                }
                int[] counts = insert.execute();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        fresh.add(events.get(i)); // the others were published before (a relay retrying)
                    }
                }
                return fresh;
            });
        } finally {
            writeLock.unlock();
        }
        for (Outgoing e : stored) {
            publishedCounter(Event.streamOf(e.subject())).incrementAndGet();
            publishedAll.incrementAndGet();
            for (Listener listener : listeners) {
                if (Subjects.matches(listener.filter, e.subject())) {
                    listener.offer(e.payload());
                }
            }
        }
        signalLock.lock();
        try {
            published.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    @Override
    public void broadcast(String subject, byte[] payload) {
        if (subject.startsWith(Event.SUBJECT_PREFIX)) {
            throw new IllegalArgumentException("a broadcast is not stored: not under " + Event.SUBJECT_PREFIX + ", " + subject);
        }
        for (Listener listener : listeners) {
            if (Subjects.matches(listener.filter, subject)) {
                listener.offer(payload);
            }
        }
    }

    @Override
    public Subscription consume(String consumerName, String subjectFilter, EventHandler handler, StartFrom start) {
        var consumer = new Consumer(consumerName, subjectFilter, handler, start);
        consumers.add(consumer);
        consumer.thread = Thread.ofVirtual().name("bus-consumer-" + consumerName).start(consumer::run);
        return () -> {
            consumer.stop();
            join(consumer.thread); // its position is saved before a successor of the same name starts
            consumers.remove(consumer);
        };
    }

    @Override
    public Subscription listen(String subjectFilter, EventHandler handler) {
        var listener = new Listener(subjectFilter, handler);
        listeners.add(listener);
        listener.thread = Thread.ofVirtual().name("bus-listener-" + subjectFilter).start(listener::run);
        return () -> {
            listeners.remove(listener);
            listener.stop();
        };
    }

    @Override
    public long storedEvents(String stream) {
        return store.withHandle(h -> h.createQuery("select count(*) from bus_events where stream = :stream")
                .bind("stream", stream).mapTo(Long.class).one());
    }

    @Override
    public void resetConsumer(String consumerName, String subjectFilter) {
        if (consumers.stream().anyMatch(c -> c.name.equals(consumerName))) {
            throw new IllegalStateException("consumer " + consumerName + " is running; stop it before resetting it");
        }
        store.withHandle(h -> h.createUpdate("delete from bus_consumers where name = :name")
                .bind("name", consumerName).execute());
    }

    @Override
    public boolean isReady() {
        return !closed && store.isReachable();
    }

    /** Events dropped because a live listener fell behind (at-most-once by design). */
    public long droppedLiveEvents() {
        return listeners.stream().mapToLong(l -> l.dropped.get()).sum();
    }

    @Override
    public void close() {
        closed = true;
        consumers.forEach(Consumer::stop);
        listeners.forEach(Listener::stop);
        for (Consumer c : consumers) {
            join(c.thread);
        }
        for (Listener l : listeners) {
            join(l.thread);
        }
        join(pruner);
        store.close();
    }

    /** How many events have been stored on a stream (or on all, for null) since this bus started. */
    private AtomicLong publishedCounter(String stream) {
        return stream == null ? publishedAll : publishedPerStream.computeIfAbsent(stream, s -> new AtomicLong());
    }

    private void awaitPublish(long millis) throws InterruptedException {
        signalLock.lock();
        try {
            published.await(millis, TimeUnit.MILLISECONDS);
        } finally {
            signalLock.unlock();
        }
    }

    private void pruneForever() {
        Instant next = Instant.now();
        while (!closed) {
            if (!Instant.now().isBefore(next)) {
                next = Instant.now().plus(Duration.ofHours(1));
                try {
                    String kept = permanentStreams.isEmpty() ? "" : permanentStreams.stream().map(InProcessBus::sqlString)
                            .collect(java.util.stream.Collectors.joining(", ", " and stream not in (", ")"));
                    int removed = store.withHandle(h -> h.createUpdate("delete from bus_events where published_at < :before" + kept)
                            .bind("before", Sql.utc(Instant.now().minus(retention))).execute());
                    if (removed > 0) {
                        log.info("pruned {} bus events older than {}", removed, retention);
                    }
                } catch (RuntimeException e) {
                    log.warn("could not prune bus events: {}", e.toString());
                }
            }
            sleepQuietly(Duration.ofMillis(500));
        }
    }

    private static String sqlString(String word) {
        return "'" + word.replace("'", "''") + "'";
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Row(long position, String subject, String payload) {
    }

    private final class Consumer {
        final String name;
        final String filter;
        final String stream;
        final EventHandler handler;
        final StartFrom start;
        volatile boolean stopped;
        volatile Thread thread;

        Consumer(String name, String filter, EventHandler handler, StartFrom start) {
            this.name = name;
            this.filter = filter;
            this.stream = Subjects.streamOf(filter);
            this.handler = handler;
            this.start = start;
        }

        void run() {
            long position = -1;
            long saved = -1;
            long savedAt = 0;
            while (!stopped && !closed) {
                try {
                    if (position < 0) {
                        position = loadPosition();
                        saved = position;
                    }
                    long seen = publishedCounter(stream).get();
                    List<Row> rows = read(position);
                    if (rows.isEmpty()) {
                        if (saved != position) {
                            savePosition(position);
                            saved = position;
                        }
                        // Sleep until something is published on this consumer's stream (or a second passes).
                        long deadline = System.nanoTime() + 1_000_000_000L;
                        while (!stopped && publishedCounter(stream).get() == seen && System.nanoTime() < deadline) {
                            awaitPublish(200);
                        }
                        continue;
                    }
                    if (deliverAll(rows)) {
                        position = rows.getLast().position();
                    } else {
                        for (Row row : rows) {
                            if (stopped) {
                                break;
                            }
                            if (Subjects.matches(filter, row.subject()) && !deliver(row)) {
                                break; // stopped before it was handled: it stays unacknowledged, for the next run
                            }
                            position = row.position();
                        }
                    }
                    // The position is saved at most twice a second under load: after a crash a few events come
                    // again, which consumers are built to shrug off (at least once, idempotent handlers).
                    if (System.nanoTime() - savedAt > 500_000_000L) {
                        savePosition(position);
                        saved = position;
                        savedAt = System.nanoTime();
                    }
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    if (stopped || closed) {
                        break;
                    }
                    log.warn("bus consumer {} could not read: {}", name, e.toString());
                    sleepQuietly(Duration.ofSeconds(1));
                }
            }
            if (position >= 0) { // the store closes only after this thread ends (see close)
                try {
                    savePosition(position);
                } catch (RuntimeException e) {
                    log.debug("could not save position of {} on stop", name, e);
                }
            }
        }

        /** Hands the rows to a batch handler at once; false when there is none, or it failed (then one by one). */
        boolean deliverAll(List<Row> rows) {
            if (!(handler instanceof BatchEventHandler batch) || rows.size() < 2 || stopped) {
                return false;
            }
            var events = new java.util.ArrayList<Event>(rows.size());
            for (Row row : rows) {
                if (Subjects.matches(filter, row.subject())) {
                    events.add(Event.decode(row.payload().getBytes(StandardCharsets.UTF_8)));
                }
            }
            if (events.isEmpty()) {
                return true; // none of them is this consumer's
            }
            try {
                batch.handleAll(events);
                return true;
            } catch (Exception e) {
                log.debug("consumer {}: a batch of {} failed ({}); handling them one by one", name, events.size(), e.toString());
                return false;
            }
        }

        /** Hands the event to the handler until it succeeds or is given up on; false if stopped before that. */
        boolean deliver(Row row) throws InterruptedException {
            Event event = Event.decode(row.payload().getBytes(StandardCharsets.UTF_8));
            for (int attempt = 1; !stopped; attempt++) {
                try {
                    handler.handle(event);
                    return true;
                } catch (Exception e) {
                    if (Redelivery.shouldGiveUp(attempt, e)) {
                        log.atError().addKeyValue("consumer", name).addKeyValue("event_id", event.id())
                                .addKeyValue("type", event.type()).setCause(e)
                                .log("consumer {} gave up on event {} after {} attempts", name, event.id(), attempt);
                        return true;
                    }
                    log.warn("consumer {} failed on event {} (attempt {}): {}", name, event.id(), attempt, e.toString());
                    Thread.sleep(Redelivery.backoff(attempt));
                }
            }
            return false;
        }

        long loadPosition() {
            return store.inTransaction(h -> {
                var saved = h.createQuery("select position from bus_consumers where name = :name")
                        .bind("name", name).mapTo(Long.class).findOne();
                if (saved.isPresent()) {
                    return saved.get();
                }
                long first = start == StartFrom.BEGINNING ? 0L
                        : h.createQuery("select coalesce(max(position), 0) from bus_events").mapTo(Long.class).one();
                h.createUpdate("insert into bus_consumers (name, position) values (:name, :p)")
                        .bind("name", name).bind("p", first).execute();
                return first;
            });
        }

        void savePosition(long position) {
            store.withHandle(h -> h.createUpdate("update bus_consumers set position = :p where name = :name")
                    .bind("p", position).bind("name", name).execute());
        }

        List<Row> read(long after) {
            String sql = stream == null
                    ? "select position, subject, payload from bus_events where position > :after order by position limit " + BATCH
                    // Ordered as the (stream, position) index is, so H2 reads just the next batch from it: ordered by
                    // position alone, it read and sorted the whole rest of the stream for every batch.
                    : "select position, subject, payload from bus_events where stream = :stream and position > :after "
                      + "order by stream, position limit " + BATCH;
            return store.withHandle(h -> {
                var q = h.createQuery(sql).bind("after", after);
                if (stream != null) {
                    q.bind("stream", stream);
                }
                return q.map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
            });
        }

        void stop() {
            stopped = true; // no interrupt: H2 closes its file when a thread is interrupted mid-I/O
            signalLock.lock();
            try {
                published.signalAll();
            } finally {
                signalLock.unlock();
            }
        }
    }

    private static final class Listener {
        final String filter;
        final EventHandler handler;
        final BlockingQueue<byte[]> buffer = new LinkedBlockingQueue<>(LISTENER_BUFFER);
        final AtomicLong dropped = new AtomicLong();
        volatile boolean stopped;
        volatile Thread thread;

        Listener(String filter, EventHandler handler) {
            this.filter = filter;
            this.handler = handler;
        }

        void offer(byte[] payload) {
            if (!buffer.offer(payload) && dropped.incrementAndGet() % 1000 == 1) {
                log.warn("live listener {} is behind; dropped {} events so far", filter, dropped.get());
            }
        }

        void run() {
            while (!stopped) {
                try {
                    byte[] payload = buffer.poll(500, TimeUnit.MILLISECONDS);
                    if (payload != null) {
                        handler.handle(Event.decode(payload));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    log.warn("live listener {} failed: {}", filter, e.toString());
                }
            }
        }

        void stop() {
            stopped = true;
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
