package babble.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageCreated;
import babble.contracts.internal.Replay;
import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.EventHandler;
import babble.platform.bus.Subscription;
import babble.platform.json.Json;
import babble.platform.problem.Unavailable;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's fan-out against a store that lags, races ahead of the live stream, or goes away: every message
 * reaches a subscribed socket once and in order, and nothing is dropped while the store cannot be read.
 */
class FanoutTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final UUID room = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();
    private final Store store = new Store();
    private final LiveBus bus = new LiveBus();
    private final Fanout fanout = new Fanout(bus, store,
            new Retries(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2)), 5);

    @AfterEach
    void close() {
        fanout.close();
    }

    @Test
    void aMissedLiveEventIsReadFromTheStoreEvenWhenTheStoreIsAlreadyFurtherOn() {
        store.append(3);
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 3);
        await().atMost(WAIT).until(() -> socket.has("subscribed"));

        store.append(5); // seqs 4..8 committed; the live event of 4 is lost on the way
        for (long seq = 5; seq <= 8; seq++) {
            bus.publishLive(store.get(seq));
        }

        await().atMost(WAIT).until(() -> socket.seqs().size() == 5);
        assertThat(socket.seqs()).containsExactly(4L, 5L, 6L, 7L, 8L);
        bus.publishLive(store.get(store.append(1)));
        await().atMost(WAIT).until(() -> socket.seqs().size() == 6);
        assertThat(socket.seqs()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void aSubscribeWhoseMembershipCheckRacedALeaveIsRefused() {
        var socket = new RecordingSocket();
        long checkedAt = Fanout.now(); // the membership check starts and says "member"...

        fanout.memberLeft(room, socket.userId()); // ...but the leave is answered before the subscribe lands

        assertThat(fanout.subscribe(socket, room, 0, 0, checkedAt)).isFalse();
        assertThat(fanout.subscribedSockets()).isZero();
        assertThat(fanout.subscribe(socket, room, 0, 0, Fanout.now())).isTrue(); // a check after the leave decides
    }

    @Test
    void aSocketJoiningWhileTheStoreIsDownIsCaughtUpOnceItReturns() {
        store.append(5);
        store.available = false;
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 0);
        bus.publishLive(store.get(store.append(1))); // seq 6, live, before the socket could be caught up

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> socket.frames.isEmpty());
        store.available = true;

        await().atMost(WAIT).until(() -> socket.has("subscribed"));
        assertThat(socket.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(socket.last().get("recovered").asBoolean()).isTrue();
        assertThat(socket.last().get("lastSeq").asLong()).isEqualTo(6);
    }

    @Test
    void aSocketIsToldToSubscribeAgainWhenTheStoreStaysDown() {
        store.append(2);
        store.available = false;
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 0);

        await().atMost(WAIT).until(() -> socket.has("error"));
        assertThat(socket.last().get("status").asInt()).isEqualTo(503);
        assertThat(socket.last().get("roomId").asText()).isEqualTo(room.toString());
        await().atMost(WAIT).until(() -> fanout.subscribedSockets() == 0 && fanout.rooms() == 0);
    }

    @Test
    void aGapSeenWhileTheStoreIsDownIsFilledWhenItReturnsWithoutAnotherMessage() {
        store.append(2);
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 2);
        await().atMost(WAIT).until(() -> socket.has("subscribed"));

        store.available = false;
        store.append(2); // 3 and 4; only 4 arrives live
        bus.publishLive(store.get(4));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> socket.seqs().isEmpty());
        store.available = true;

        await().atMost(WAIT).until(() -> socket.seqs().size() == 2);
        assertThat(socket.seqs()).containsExactly(3L, 4L);
    }

    @Test
    void unsubscribingWhileWaitingForTheStoreCancelsTheCatchUp() {
        store.append(2);
        store.available = false;
        var socket = new RecordingSocket();
        var other = new RecordingSocket();
        fanout.subscribe(socket, room, 0);
        fanout.subscribe(other, room, 0);
        await().atMost(WAIT).until(() -> store.refused.get() >= 2); // both are waiting for the store
        fanout.unsubscribe(socket, room, "unsubscribed");
        store.available = true;

        await().atMost(WAIT).until(() -> other.has("subscribed"));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !socket.has("subscribed"));
        assertThat(socket.seqs()).isEmpty();
        assertThat(other.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void aChannelThatFailsTellsItsSocketsAndGoesSoASubscribeStartsAFreshOne() {
        store.append(1);
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 1);
        await().atMost(WAIT).until(() -> socket.has("subscribed"));

        store.broken = true; // a bug, not an outage: the channel's thread ends
        store.append(2);
        bus.publishLive(store.get(3));
        await().atMost(WAIT).until(() -> socket.has("error"));
        assertThat(socket.last().get("status").asInt()).isEqualTo(503);
        await().atMost(WAIT).until(() -> fanout.rooms() == 0);

        store.broken = false;
        fanout.subscribe(socket, room, 1);
        await().atMost(WAIT).until(() -> socket.seqs().size() == 2);
        assertThat(socket.seqs()).containsExactly(2L, 3L);
    }

    @Test
    void liveEventsBeyondABusyChannelsInboxAreReadFromTheStoreInstead() throws Exception {
        store.append(1);
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 1);
        await().atMost(WAIT).until(() -> socket.has("subscribed"));

        var gate = new java.util.concurrent.CountDownLatch(1);
        store.gate = gate; // the next read answers with what is stored now, but only once the gate opens
        store.append(2);
        bus.publishLive(store.get(3)); // 2 was missed: the channel reads 2..3 and waits at the gate
        await().atMost(WAIT).until(() -> store.reads.get() == 2);
        store.append(18); // 4..21 arrive live while the channel is busy: 5 fit in its inbox, the rest overflow
        for (long seq = 4; seq <= 21; seq++) {
            bus.publishLive(store.get(seq));
        }
        store.gate = null;
        gate.countDown();

        await().atMost(WAIT).until(() -> socket.seqs().size() == 20);
        assertThat(socket.seqs()).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, 21).boxed().toList());
    }

    @Test
    void aRoomTheBusCannotListenToIsAnsweredWith503AndCanBeSubscribedAgainLater() {
        store.append(2);
        var socket = new RecordingSocket();
        bus.refuseListeners = true;
        fanout.subscribe(socket, room, 0);

        await().atMost(WAIT).until(() -> socket.has("error"));
        assertThat(socket.last().get("status").asInt()).isEqualTo(503);
        assertThat(socket.last().get("roomId").asText()).isEqualTo(room.toString());
        await().atMost(WAIT).until(() -> fanout.rooms() == 0);

        bus.refuseListeners = false;
        fanout.subscribe(socket, room, 0);
        await().atMost(WAIT).until(() -> socket.has("subscribed"));
        assertThat(socket.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void editsAndDeletionsReachEverySubscribedSocketOnceInChangeOrder() {
        store.append(3);
        var one = new RecordingSocket();
        var two = new RecordingSocket();
        fanout.subscribe(one, room, 3);
        fanout.subscribe(two, room, 0);
        await().atMost(WAIT).until(() -> one.has("subscribed") && two.has("subscribed"));

        var edit = store.edit(2, "m2 fixed");
        bus.publishLive(edit);
        bus.publishLive(edit); // a redelivery
        bus.publishLive(store.delete(3));

        for (var socket : List.of(one, two)) {
            await().atMost(WAIT).until(() -> socket.changes().size() == 2);
            assertThat(socket.changes()).extracting(f -> f.get("type").asText()).containsExactly("message-updated", "message-deleted");
            assertThat(socket.changes()).extracting(f -> f.get("change").asLong()).containsExactly(1L, 2L);
            assertThat(socket.changes().get(0).get("message").get("text").asText()).isEqualTo("m2 fixed");
            assertThat(socket.changes().get(1).get("seq").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aSocketResumingFromASeqAndAChangeIsSentWhatChangedWhileItWasAwayOnceEachAsItIsNow() {
        store.append(5);
        var present = new RecordingSocket(); // keeps the channel open and up to date meanwhile
        fanout.subscribe(present, room, 5);
        await().atMost(WAIT).until(() -> present.has("subscribed"));
        bus.publishLive(store.edit(2, "first fix"));   // change 1
        bus.publishLive(store.delete(4));              // change 2
        bus.publishLive(store.edit(2, "second fix"));  // change 3, the same message again
        await().atMost(WAIT).until(() -> present.changes().size() == 3);

        var back = new RecordingSocket(); // left at seq 3, having seen no change
        fanout.subscribe(back, room, 3, 0);
        await().atMost(WAIT).until(() -> back.has("subscribed"));
        assertThat(back.seqs()).containsExactly(4L, 5L); // as they are now: 4 is a tombstone
        assertThat(back.frames.stream().filter(f -> f.path("type").asText().equals("message")).findFirst().orElseThrow()
                .get("message").get("deleted").asBoolean()).isTrue();
        assertThat(back.changes()).hasSize(1); // seq 2 once, as it is now; 4's deletion is in its message
        assertThat(back.changes().getFirst().get("message").get("text").asText()).isEqualTo("second fix");
        assertThat(back.last().get("change").asLong()).isEqualTo(3);

        var upToDate = new RecordingSocket(); // has everything: nothing is sent but "subscribed"
        fanout.subscribe(upToDate, room, 5, 3);
        await().atMost(WAIT).until(() -> upToDate.has("subscribed"));
        assertThat(upToDate.frames).hasSize(1);
        int readsBefore = store.reads.get();
        var changedSince = new RecordingSocket(); // saw change 1 only
        fanout.subscribe(changedSince, room, 5, 1);
        await().atMost(WAIT).until(() -> changedSince.has("subscribed"));
        assertThat(changedSince.changes()).extracting(f -> f.get("change").asLong()).containsExactly(2L, 3L);
        assertThat(store.reads.get()).isEqualTo(readsBefore + 1);
    }

    @Test
    void aMissedChangeIsReadFromTheStore() {
        store.append(4);
        var socket = new RecordingSocket();
        fanout.subscribe(socket, room, 4);
        await().atMost(WAIT).until(() -> socket.has("subscribed"));

        store.edit(1, "lost on the way");       // change 1, never arrives live
        bus.publishLive(store.delete(2));       // change 2
        bus.publishLive(store.edit(3, "three")); // change 3

        await().atMost(WAIT).until(() -> socket.changes().size() == 3);
        assertThat(socket.changes()).extracting(f -> f.get("change").asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void typingReachesTheRoomsOtherSocketsButNotTheTypersOwn() {
        var typer = new RecordingSocket();
        var other = new RecordingSocket();
        fanout.subscribe(typer, room, 0);
        fanout.subscribe(other, room, 0);
        await().atMost(WAIT).until(() -> typer.has("subscribed") && other.has("subscribed"));
        assertThat(fanout.isSubscribed(typer, room)).isTrue();
        assertThat(fanout.isSubscribed(typer, UUID.randomUUID())).isFalse();

        fanout.typing(room, new babble.contracts.api.UserView(typer.userId(), "tia", "Tia"));

        await().atMost(WAIT).until(() -> other.has("typing"));
        assertThat(other.last().get("user").get("displayName").asText()).isEqualTo("Tia");
        assertThat(other.last().get("roomId").asText()).isEqualTo(room.toString());
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !typer.has("typing"));
    }

    /** The messages service as the gateway sees it: Messages.replay's answers, or unavailable. */
    private final class Store implements History {
        final List<MessageView> messages = new CopyOnWriteArrayList<>();
        final Map<Long, Long> changeOf = new ConcurrentHashMap<>(); // seq → its latest change
        volatile long lastChange;
        volatile boolean available = true;
        volatile boolean broken;
        volatile java.util.concurrent.CountDownLatch gate;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        /** Commits {@code n} more messages; returns the last seq. */
        long append(int n) {
            for (int i = 0; i < n; i++) {
                long seq = messages.size() + 1;
                messages.add(new MessageView(UUID.randomUUID(), room, seq, user, "ann", "m" + seq, Instant.now()));
            }
            return messages.size();
        }

        MessageView get(long seq) {
            return messages.get((int) seq - 1);
        }

        /** Commits an edit of message {@code seq}; answers the change as the messages service publishes it. */
        MessageChanged edit(long seq, String text) {
            MessageView m = get(seq);
            return changed(new MessageView(m.id(), room, seq, m.userId(), m.username(), text, m.createdAt(), Instant.now(), false, List.of(), List.of()));
        }

        MessageChanged delete(long seq) {
            MessageView m = get(seq);
            return changed(MessageView.tombstone(m.id(), room, seq, m.createdAt()));
        }

        private synchronized MessageChanged changed(MessageView now) {
            messages.set((int) now.seq() - 1, now);
            changeOf.put(now.seq(), ++lastChange);
            return new MessageChanged(now, lastChange);
        }

        @Override
        public Replay after(UUID roomId, long afterSeq, long afterChange, int max) {
            if (broken) {
                throw new IllegalStateException("a bug in reading the store");
            }
            if (!available) {
                refused.incrementAndGet();
                throw new Unavailable("messages is unavailable");
            }
            reads.incrementAndGet();
            Replay answer = replay(afterSeq, afterChange, max);
            var waitFor = gate;
            if (waitFor != null) {
                try {
                    waitFor.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer;
        }

        private synchronized Replay replay(long afterSeq, long afterChange, int max) {
            long last = messages.size();
            var changes = changeOf.entrySet().stream()
                    .filter(e -> e.getKey() <= afterSeq && e.getValue() > afterChange)
                    .sorted(Map.Entry.comparingByValue())
                    .map(e -> new MessageChanged(get(e.getKey()), e.getValue()))
                    .toList();
            long missed = Math.max(0, last - afterSeq);
            if (missed + changes.size() > max) {
                return new Replay(List.of(), last, false, List.of(), lastChange);
            }
            var after = missed == 0 ? List.<MessageView>of() : List.copyOf(messages.subList((int) afterSeq, (int) last));
            return new Replay(after, last, true, changes, lastChange);
        }
    }

    /** Live listeners only, fed synchronously by the test: what a test publishes live is what they get. */
    private static final class LiveBus implements Bus {
        final Map<String, EventHandler> listeners = new ConcurrentHashMap<>();
        volatile boolean refuseListeners;

        void publishLive(MessageView message) {
            publish(new Event(UUID.randomUUID(), MessageCreated.TYPE, 1, Instant.now(), message.roomId().toString(),
                    Json.mapper().valueToTree(Map.of("message", message)), Map.of()));
        }

        void publishLive(MessageChanged changed) {
            publish(new Event(UUID.randomUUID(), MessageChanged.TYPE, 1, Instant.now(), changed.message().roomId().toString(),
                    Json.mapper().valueToTree(changed), Map.of()));
        }

        private void publish(Event event) {
            deliver(event.subject(), event);
        }

        private void deliver(String subject, Event event) {
            listeners.forEach((filter, handler) -> {
                if (babble.platform.bus.Subjects.matches(filter, subject)) {
                    try {
                        handler.handle(event);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }

        @Override
        public Subscription listen(String subjectFilter, EventHandler handler) {
            if (refuseListeners) {
                throw new IllegalStateException("the bus is closed");
            }
            listeners.put(subjectFilter, handler);
            return () -> listeners.remove(subjectFilter, handler);
        }

        @Override
        public void publish(String subject, UUID eventId, byte[] payload) {
            throw new UnsupportedOperationException("the fan-out only listens");
        }

        @Override
        public void broadcast(String subject, byte[] payload) {
            deliver(subject, Event.decode(payload));
        }

        @Override
        public Subscription consume(String consumerName, String subjectFilter, EventHandler handler, StartFrom start) {
            throw new UnsupportedOperationException("the fan-out only listens");
        }

        @Override
        public long storedEvents(String stream) {
            throw new UnsupportedOperationException("the fan-out only listens");
        }

        @Override
        public void resetConsumer(String consumerName, String subjectFilter) {
            throw new UnsupportedOperationException("the fan-out only listens");
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSocketThatClosesAsAPostFrameIsSentToItDoesNotCostTheOthersTheirs() {
        var others = List.of(new RecordingSocket(), new RecordingSocket(), new RecordingSocket());
        // three, so that whatever the order, one closes with others still to be sent to
        var closing = List.of(new ClosingSocket(), new ClosingSocket(), new ClosingSocket());
        closing.forEach(socket -> fanout.subscribe(socket, room, 0));
        others.forEach(socket -> fanout.subscribe(socket, room, 0));

        fanout.sendToRoom(room, user -> true, "{\"type\":\"post\"}");

        assertThat(others).allSatisfy(socket -> assertThat(socket.has("post")).isTrue());
        assertThat(fanout.subscribedSockets()).isEqualTo(3);
    }

    @Test
    void aFrameForAnyOfSomeRoomsReachesEachSocketFollowingOneOfThemOnceButNotTheUsersOwn() {
        UUID second = UUID.randomUUID();
        UUID unrelated = UUID.randomUUID();
        var inBoth = new RecordingSocket();
        var inOne = new RecordingSocket();
        var elsewhere = new RecordingSocket();
        var theUserThemself = new RecordingSocket();
        fanout.subscribe(theUserThemself, room, 0);
        fanout.subscribe(inBoth, room, 0);
        fanout.subscribe(inBoth, second, 0);
        fanout.subscribe(inOne, second, 0);
        fanout.subscribe(elsewhere, unrelated, 0);

        fanout.sendToAnyRoom(java.util.Set.of(room, second), theUserThemself.userId,
                Frames.presence(theUserThemself.userId, true));

        assertThat(inBoth.frames.stream().filter(f -> f.path("type").asText().equals("presence"))).hasSize(1);
        assertThat(inOne.frames.stream().filter(f -> f.path("type").asText().equals("presence"))).hasSize(1);
        assertThat(elsewhere.has("presence")).isFalse();
        assertThat(theUserThemself.has("presence")).as("not told of themself").isFalse();
    }

    /** Too far behind: it ends, and leaves its rooms, as a post frame is sent to it. */
    private final class ClosingSocket extends RecordingSocket {
        @Override
        public void send(String frame) {
            if (frame.contains("\"post\"")) {
                fanout.disconnect(this);
            } else {
                super.send(frame);
            }
        }
    }

    private static class RecordingSocket implements LiveSocket {
        final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        final UUID userId = UUID.randomUUID();

        @Override
        public UUID userId() {
            return userId;
        }

        @Override
        public void send(String frame) {
            frames.add(Json.tree(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        boolean has(String type) {
            return frames.stream().anyMatch(f -> f.path("type").asText().equals(type));
        }

        List<Long> seqs() {
            return frames.stream().filter(f -> f.path("type").asText().equals("message"))
                    .map(f -> f.get("message").get("seq").asLong()).toList();
        }

        JsonNode last() {
            return frames.getLast();
        }

        List<JsonNode> changes() {
            return frames.stream().filter(f -> f.path("type").asText().startsWith("message-")).toList();
        }
    }
}
