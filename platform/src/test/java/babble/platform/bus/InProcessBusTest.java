package babble.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import babble.platform.config.Config;
import babble.platform.json.Json;
import babble.platform.testing.TestStores;
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

class InProcessBusTest {
    private Map<String, String> settings;
    private InProcessBus bus;

    @BeforeEach
    void open() {
        settings = TestStores.freshSettings();
        bus = newBus();
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private InProcessBus newBus() {
        return new InProcessBus(Database.open("bus", DatabaseSettings.from(Config.of(settings)), null), Duration.ofDays(1));
    }

    private static Event event(String type, String key, int n) {
        return new Event(UUID.randomUUID(), type, 1, Instant.now(), key, Json.toTree(Map.of("n", n)), Map.of());
    }

    private void publish(Event e) {
        bus.publish(e.subject(), e.id(), e.encode());
    }

    @Test
    void aDurableConsumerReceivesMatchingEventsInOrderFromTheStart() {
        for (int i = 1; i <= 5; i++) {
            publish(event("room.created", "r" + i, i));
            publish(event("message.created", "r" + i, i));
        }
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("test", "events.room.>", e -> seen.add(e.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 5);
        assertThat(seen).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void publishingTheSameEventIdTwiceDeliversItOnce() {
        Event e = event("room.created", "r1", 1);
        publish(e);
        publish(e);
        publish(event("room.created", "r2", 2));
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("test", "events.room.>", ev -> seen.add(ev.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(1, 2);
    }

    @Test
    void aConsumerResumesAfterItsLastPositionWhenTheBusIsReopened() {
        publish(event("room.created", "r1", 1));
        List<Integer> first = new CopyOnWriteArrayList<>();
        var sub = bus.consume("test", "events.room.>", e -> first.add(e.data().get("n").asInt()));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.size() == 1);
        sub.close();
        bus.close();

        bus = newBus();
        publish(event("room.created", "r2", 2));
        List<Integer> second = new CopyOnWriteArrayList<>();
        bus.consume("test", "events.room.>", e -> second.add(e.data().get("n").asInt()));

        await().atMost(Duration.ofSeconds(5)).until(() -> second.size() == 1);
        assertThat(second).containsExactly(2);
    }

    @Test
    void aFailingHandlerGetsTheEventAgainAndNothingIsSkipped() {
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

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(1, 2);
        assertThat(attempts.get()).isEqualTo(3);
    }

    @Test
    void aConsumerCreatedToStartFromNewSkipsWhatWasPublishedBefore() {
        publish(event("message.created", "r1", 1));
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.consume("new-only", "events.message.>", e -> seen.add(e.data().get("n").asInt()), Bus.StartFrom.NEW);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(seen::isEmpty);
        publish(event("message.created", "r1", 2));

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(2);
    }

    @Test
    void aLiveListenerGetsOnlyEventsPublishedAfterItStartedOnItsSubject() {
        publish(event("message.created", "room-a", 1));
        List<Integer> seen = new CopyOnWriteArrayList<>();

        bus.listen("events.message.created.room-a", e -> seen.add(e.data().get("n").asInt()));
        publish(event("message.created", "room-b", 2));
        publish(event("message.created", "room-a", 3));

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(3);
    }
}
