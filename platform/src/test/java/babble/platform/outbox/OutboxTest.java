package babble.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.EventHandler;
import babble.platform.bus.InProcessBus;
import babble.platform.bus.Subscription;
import babble.platform.consumer.IdempotentConsumer;
import babble.platform.db.Database;
import babble.platform.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events exist exactly when their transaction commits, reach the bus even if it was down, and are handled once. */
class OutboxTest {
    private Database db;
    private InProcessBus realBus;
    private SwitchableBus bus;
    private OutboxRelay relay;
    private Outbox outbox;

    @BeforeEach
    void open() {
        db = TestStores.database("outbox");
        db.migrate("db/platform", "platform_schema_history");
        db.withHandle(h -> h.execute("create table things (id uuid primary key)"));
        realBus = new InProcessBus(TestStores.database("bus"), Duration.ofDays(1));
        bus = new SwitchableBus(realBus);
        relay = new OutboxRelay(db, bus);
        outbox = new Outbox(relay, Clock.systemUTC());
        relay.start();
    }

    @AfterEach
    void close() {
        relay.close();
        realBus.close();
        db.close();
    }

    @Test
    void anEventAddedInACommittedTransactionIsPublished() {
        List<String> seen = new CopyOnWriteArrayList<>();
        realBus.consume("test", "events.thing.>", e -> seen.add(e.key()));

        db.useTransaction(tx -> {
            UUID id = UUID.randomUUID();
            tx.createUpdate("insert into things (id) values (:id)").bind("id", id).execute();
            outbox.add(tx, "thing.created", "t1", Map.of("id", id));
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("t1");
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.pending() == 0);
    }

    @Test
    void withTwoReplicasRelayingOneOutboxOneRelaysAndTheOtherTakesOverWhenItStops() {
        List<String> live = new CopyOnWriteArrayList<>();
        realBus.listen("events.thing.>", e -> live.add(e.key())); // sees every publish, duplicates included
        var second = new OutboxRelay(db, realBus);
        second.start();
        try {
            for (int i = 0; i < 20; i++) {
                String key = "t" + i;
                db.useTransaction(tx -> outbox.add(tx, "thing.created", key, Map.of()));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> live.size() >= 20);
            relay.close(); // the first replica stops: the standby relays from now on
            db.useTransaction(tx -> outbox.add(tx, "thing.created", "after", Map.of()));
            await().atMost(Duration.ofSeconds(5)).until(() -> live.contains("after"));

            assertThat(live).doesNotHaveDuplicates().hasSize(21);
            assertThat(relay.publishedCount() + second.publishedCount()).isEqualTo(21);
        } finally {
            second.close();
        }
    }

    @Test
    void anEventCommittedAfterALaterOneWasPublishedIsPublishedToo() throws Exception {
        // Positions are taken at insert and become visible at commit: a transaction that took its position first
        // may commit after one that took the next, which the relay has published by then.
        List<String> seen = new CopyOnWriteArrayList<>();
        realBus.consume("test", "events.thing.>", e -> seen.add(e.key()));
        var slowAdded = new java.util.concurrent.CountDownLatch(1);
        var commitSlow = new java.util.concurrent.CountDownLatch(1);
        Thread slow = Thread.ofVirtual().start(() -> {
            try {
                db.useTransaction(tx -> {
                    outbox.add(tx, "thing.created", "slow", Map.of());
                    slowAdded.countDown();
                    commitSlow.await();
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        slowAdded.await();
        db.useTransaction(tx -> outbox.add(tx, "thing.created", "fast", Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("fast"));
        // past the relay's next rounds (it deletes what it published at most once a second)
        await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> true);

        commitSlow.countDown();
        slow.join();

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("slow"));
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.pending() == 0);
        assertThat(seen).containsExactlyInAnyOrder("fast", "slow");
    }

    @Test
    void anEventAddedInARolledBackTransactionIsNeverPublished() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        realBus.consume("test", "events.thing.>", e -> seen.add(e.key()));

        try {
            db.useTransaction(tx -> {
                outbox.add(tx, "thing.created", "ghost", Map.of());
                throw new IllegalStateException("the change failed");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back
        }
        db.useTransaction(tx -> outbox.add(tx, "thing.created", "real", Map.of()));

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("real"));
        Thread.sleep(200);
        assertThat(seen).containsExactly("real");
    }

    @Test
    void eventsWaitInTheOutboxWhileTheBusIsDownAndArriveInOrderWhenItReturns() {
        List<String> seen = new CopyOnWriteArrayList<>();
        realBus.consume("test", "events.thing.>", e -> seen.add(e.key()));
        bus.down.set(true);

        for (int i = 1; i <= 5; i++) {
            int n = i;
            db.useTransaction(tx -> outbox.add(tx, "thing.created", "t" + n, Map.of()));
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> seen.isEmpty());
        assertThat(relay.pending()).isEqualTo(5);
        bus.down.set(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
        assertThat(seen).containsExactly("t1", "t2", "t3", "t4", "t5");
    }

    @Test
    void anIdempotentConsumerAppliesARedeliveredEventOnce() throws Exception {
        AtomicInteger applied = new AtomicInteger();
        var consumer = new IdempotentConsumer(db, "counter", (event, tx) -> {
            tx.createUpdate("insert into things (id) values (:id)").bind("id", UUID.randomUUID()).execute();
            applied.incrementAndGet();
        }, Clock.systemUTC());
        var event = new Event(UUID.randomUUID(), "thing.created", 1, java.time.Instant.now(), "k",
                babble.platform.json.Json.toTree(Map.of()), Map.of());

        consumer.handle(event);
        consumer.handle(event);

        assertThat(applied.get()).isEqualTo(1);
        assertThat(countThings()).isEqualTo(1);
    }

    @Test
    void aConsumerWhoseHandlerFailsWritesNothingAndGetsTheEventAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        var consumer = new IdempotentConsumer(db, "flaky", (event, tx) -> {
            tx.createUpdate("insert into things (id) values (:id)").bind("id", UUID.randomUUID()).execute();
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails after writing");
            }
        }, Clock.systemUTC());
        var event = new Event(UUID.randomUUID(), "thing.created", 1, java.time.Instant.now(), "k",
                babble.platform.json.Json.toTree(Map.of()), Map.of());

        try {
            consumer.handle(event);
        } catch (IllegalStateException expected) {
            // rolled back, including the processed mark
        }
        consumer.handle(event);

        assertThat(attempts.get()).isEqualTo(2);
        assertThat(countThings()).isEqualTo(1);
    }

    private int countThings() {
        return db.withHandle(h -> h.createQuery("select count(*) from things").mapTo(Integer.class).one());
    }

    /** The real bus with a switch that makes publishing fail, as when NATS is unreachable. */
    static final class SwitchableBus implements Bus {
        final Bus delegate;
        final AtomicBoolean down = new AtomicBoolean();

        SwitchableBus(Bus delegate) {
            this.delegate = delegate;
        }

        @Override
        public void publish(String subject, UUID eventId, byte[] payload) {
            if (down.get()) {
                throw new IllegalStateException("bus unreachable");
            }
            delegate.publish(subject, eventId, payload);
        }

        @Override
        public void broadcast(String subject, byte[] payload) {
            delegate.broadcast(subject, payload);
        }

        @Override
        public Subscription consume(String consumerName, String subjectFilter, EventHandler handler, StartFrom start) {
            return delegate.consume(consumerName, subjectFilter, handler, start);
        }

        @Override
        public Subscription listen(String subjectFilter, EventHandler handler) {
            return delegate.listen(subjectFilter, handler);
        }

        @Override
        public long storedEvents(String stream) {
            return delegate.storedEvents(stream);
        }

        @Override
        public void resetConsumer(String consumerName, String subjectFilter) {
            delegate.resetConsumer(consumerName, subjectFilter);
        }

        @Override
        public boolean isReady() {
            return !down.get();
        }

        @Override
        public void close() {
        }
    }
}
