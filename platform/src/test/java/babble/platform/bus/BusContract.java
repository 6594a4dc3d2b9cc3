package babble.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.platform.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every bus adapter promises, tested on each adapter against its real store or broker. */
abstract class BusContract {
    protected Bus bus;

    /** A bus on fresh storage; {@link #reopen()} gives a new bus instance on the same storage. */
    protected abstract Bus open();

    protected abstract Bus reopen();

    @BeforeEach
    void start() {
        bus = open();
    }

    @AfterEach
    void stop() {
        bus.close();
    }

    static Event event(String type, String key, int n) {
        return new Event(UUID.randomUUID(), type, 1, Instant.now(), key, Json.toTree(Map.of("n", n)), Map.of());
    }

    void publish(Event e) {
        bus.publish(e.subject(), e.id(), e.encode());
    }

    @Test
    void aBroadcastReachesTheListenersOfTheMomentAndIsKeptNowhere() {
        List<Integer> heard = new CopyOnWriteArrayList<>();
        var listening = bus.listen("live.typing.*", e -> heard.add(e.data().get("n").asInt()));
        bus.broadcast("live.typing.room-a", event("typing", "room-a", 1).encode());
        bus.broadcast("live.other.room-a", event("typing", "room-a", 2).encode()); // another subject
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 1);
        listening.close();

        List<Integer> late = new CopyOnWriteArrayList<>();
        bus.listen("live.typing.*", e -> late.add(2));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(late::isEmpty); // nothing was kept
        assertThat(heard).containsExactly(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.broadcast("events.message.created.x", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDurableConsumerReceivesMatchingEventsInOrderFromTheStart() {
        for (int i = 1; i <= 5; i++) {
            publish(event("room.created", "r" + i, i));
            publish(event("message.created", "r" + i, i));
        }
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("test", "events.room.>", e -> seen.add(e.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
        assertThat(seen).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aResetConsumerReplaysTheStreamFromTheStartAndTheStreamSaysHowManyItHolds() {
        for (int i = 1; i <= 4; i++) {
            publish(event("post.created", "r" + i, i));
        }
        publish(event("room.created", "r", 9));
        assertThat(bus.storedEvents("post")).isEqualTo(4);
        List<Integer> first = new CopyOnWriteArrayList<>();
        var subscription = bus.consume("replayed", "events.post.>", e -> first.add(e.data().get("n").asInt()));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 4);
        subscription.close();

        bus.resetConsumer("replayed", "events.post.>");
        List<Integer> again = new CopyOnWriteArrayList<>();
        bus.consume("replayed", "events.post.>", e -> again.add(e.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(10)).until(() -> again.size() == 4);
        assertThat(again).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aBatchHandlerTakesWhatHasArrivedAtOnceAndAFailedBatchGoesOneByOne() {
        for (int i = 1; i <= 50; i++) {
            publish(event("post.created", "r", i));
        }
        List<Integer> seen = new CopyOnWriteArrayList<>();
        var batches = new AtomicInteger();
        bus.consume("batched", "events.post.>", new BatchEventHandler() {
            @Override
            public void handleAll(List<Event> events) {
                batches.incrementAndGet();
                if (events.stream().anyMatch(e -> e.data().get("n").asInt() == 7)) {
                    throw new IllegalStateException("a batch with 7 fails");
                }
                events.forEach(e -> seen.add(e.data().get("n").asInt()));
            }

            @Override
            public void handle(Event e) {
                seen.add(e.data().get("n").asInt());
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 50);
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
        assertThat(batches.get()).isPositive();
    }

    @Test
    void publishingTheSameEventIdTwiceDeliversItOnce() {
        Event e = event("room.created", "r1", 1);
        publish(e);
        publish(e);
        publish(event("room.created", "r2", 2));
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("test", "events.room.>", ev -> seen.add(ev.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(1, 2);
    }

    @Test
    void aConsumerResumesAfterItsLastPositionWhenTheBusIsReopened() {
        publish(event("room.created", "r1", 1));
        List<Integer> first = new CopyOnWriteArrayList<>();
        var sub = bus.consume("test", "events.room.>", e -> first.add(e.data().get("n").asInt()));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);
        sub.close();
        bus.close();

        bus = reopen();
        publish(event("room.created", "r2", 2));
        List<Integer> second = new CopyOnWriteArrayList<>();
        bus.consume("test", "events.room.>", e -> second.add(e.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 1);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> second.size() == 1);
        assertThat(second).containsExactly(2);
    }

    @Test
    void aConsumerStoppedMidStreamLeavesNothingStuckForTheNextOne() {
        for (int i = 1; i <= 10; i++) {
            publish(event("room.created", "r" + i, i));
        }
        List<Integer> first = new CopyOnWriteArrayList<>();
        bus.consume("test", "events.room.>", e -> {
            first.add(e.data().get("n").asInt());
            sleep(100); // slow, so that events are still waiting when it stops
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() >= 2);
        bus.close();

        bus = reopen();
        for (int i = 11; i <= 15; i++) {
            publish(event("room.created", "r" + i, i));
        }
        var seen = new java.util.concurrent.ConcurrentSkipListSet<Integer>(first);
        bus.consume("test", "events.room.>", e -> seen.add(e.data().get("n").asInt()));

        // well within the broker's ack timeout (30 s): nothing waits for it to expire
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 15);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailingHandlerGetsTheEventAgainAndNothingIsLost() {
        publish(event("room.created", "r1", 1));
        publish(event("room.created", "r2", 2));
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("test", "events.room.>", e -> {
            if (e.data().get("n").asInt() == 1 && attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            seen.add(e.data().get("n").asInt());
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactlyInAnyOrder(1, 2);
        assertThat(attempts.get()).isEqualTo(3);
    }

    @Test
    void aConsumerCreatedToStartFromNewSkipsWhatWasPublishedBefore() {
        publish(event("message.created", "r1", 1));
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("new-only", "events.message.>", e -> seen.add(e.data().get("n").asInt()), Bus.StartFrom.NEW);
        await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(seen::isEmpty);
        publish(event("message.created", "r1", 2));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(2);
    }

    @Test
    void aLiveListenerGetsOnlyEventsPublishedAfterItStartedOnItsSubject() {
        publish(event("message.created", "room-a", 1));
        List<Integer> seen = new CopyOnWriteArrayList<>();

        var sub = bus.listen("events.message.created.room-a", e -> seen.add(e.data().get("n").asInt()));
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        publish(event("message.created", "room-b", 2));
        publish(event("message.created", "room-a", 3));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(3);
        sub.close();
        publish(event("message.created", "room-a", 4));
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
    }

    @Test
    void theBusIsReady() {
        assertThat(bus.isReady()).isTrue();
    }
}
