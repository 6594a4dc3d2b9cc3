package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.LiveClient;
import babble.client.UserSession;
import babble.contracts.api.MessageView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Processes mode under failure, on the real PostgreSQL, NATS and Redis: a killed messages service, NATS gone for
 * ten seconds, PostgreSQL restarted, a gateway killed. Nothing acknowledged is lost, nothing is stored or
 * delivered twice, and everything recovers by itself. Each test prints the figures it saw.
 */
@UsesFailuresDeployment
class FailureIT {
    private static final String PASSWORD = E2E.PASSWORD;
    private static final java.net.http.HttpClient SOCKETS = java.net.http.HttpClient.newHttpClient();


    /** Posts until acknowledged (201), retrying with the same Idempotency-Key through any outage. */
    private static MessageView postUntilAcknowledged(UserSession user, UUID room, String text, String key,
                                                     AtomicInteger retries, AtomicInteger serverErrors) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ApiResponse response = user.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", text),
                        Map.of("Idempotency-Key", key));
                if (response.status() == 201) {
                    return response.as(MessageView.class);
                }
                if (response.status() == 500) {
                    serverErrors.incrementAndGet();
                }
            } catch (RuntimeException e) {
                // the connection failed: try again like any client would
            }
            retries.incrementAndGet();
            sleep(100);
        }
        throw new AssertionError("'" + text + "' was never acknowledged");
    }

    /** Collects the message frames of a room on a socket, by seq, counting repeats. */
    private static final class Watcher implements Consumer<JsonNode> {
        final Map<Long, Integer> seen = new ConcurrentHashMap<>();
        final List<Long> order = new CopyOnWriteArrayList<>();

        @Override
        public void accept(JsonNode frame) {
            if (frame.path("type").asText().equals("message")) {
                long seq = frame.get("message").get("seq").asLong();
                seen.merge(seq, 1, Integer::sum);
                order.add(seq);
            }
        }

        long duplicates() {
            return seen.values().stream().mapToLong(n -> n - 1).sum();
        }
    }

    private static LiveClient watch(LocalDeployment deployment, int gateway, UserSession user, UUID room, Watcher watcher) {
        var socket = LiveClient.connect(SOCKETS, deployment.gatewayUrl(gateway), user.token(), watcher);
        socket.awaitType("welcome", Duration.ofSeconds(10));
        socket.subscribe(room, 0);
        socket.awaitType("subscribed", Duration.ofSeconds(10));
        return socket;
    }

    private static List<MessageView> everyMessage(UserSession user, UUID room) {
        List<MessageView> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<MessageView> page = user.after(room, after, 200);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.getLast().seq();
        }
    }

    @Test
    void killingTheMessagesServiceWhileAClientPostsLosesAndRepeatsNothing() throws Exception {
        var deployment = Deployments.failures();
        var client = new BabbleClient(deployment.baseUrl());
        var ann = client.signUp(E2E.uniqueName("ann"), PASSWORD);
        var ben = client.signUp(E2E.uniqueName("ben"), PASSWORD);
        UUID room = ann.createRoom("crash test").id();
        ben.join(room);
        var annWatch = new Watcher();
        var benWatch = new Watcher();
        try (var annSocket = watch(deployment, 1, ann, room, annWatch);
             var benSocket = watch(deployment, 1, ben, room, benWatch)) {
            var retries = new AtomicInteger();
            var serverErrors = new AtomicInteger();
            Map<Integer, MessageView> acknowledged = new HashMap<>();
            long killedAt = 0;
            long recoveredAfter = -1;
            for (int i = 1; i <= 500; i++) {
                if (i == 150) {
                    deployment.console("kill messages"); // kill -9, mid-stream
                    killedAt = System.nanoTime();
                    Thread.ofVirtual().start(() -> {
                        sleep(1_000);
                        deployment.console("start messages");
                    });
                }
                acknowledged.put(i, postUntilAcknowledged(ann, room, "m" + i, "key-" + i, retries, serverErrors));
                if (i == 150) {
                    recoveredAfter = (System.nanoTime() - killedAt) / 1_000_000;
                }
            }

            List<MessageView> stored = everyMessage(ben, room);
            await().atMost(Duration.ofSeconds(60)).until(() -> annWatch.seen.size() >= 500 && benWatch.seen.size() >= 500);
            E2E.reportFailureTest("kill -9 messages", Map.of("sent", 500, "acknowledged", acknowledged.size(), "stored", stored.size(),
                    "retries", retries.get(), "recovery_ms", recoveredAfter, "delivered_ann", annWatch.seen.size(),
                    "delivered_ben", benWatch.seen.size(), "duplicates_live", annWatch.duplicates() + benWatch.duplicates(),
                    "server_errors", serverErrors.get()));

            assertThat(stored).extracting(MessageView::text)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 500).mapToObj(i -> "m" + i).toList());
            assertThat(stored).extracting(MessageView::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 500).boxed().toList());
            acknowledged.forEach((i, m) -> assertThat(stored.get(i - 1).id()).isEqualTo(m.id()));
            for (Watcher w : List.of(annWatch, benWatch)) {
                assertThat(w.duplicates()).isZero();
                assertThat(w.order).isSorted();
                assertThat(w.seen.keySet()).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 500).boxed().toList());
            }
            assertThat(serverErrors.get()).isZero();
        }
    }

    @Test
    void withNatsGoneForTenSecondsNothingAcknowledgedIsLostAndTheBotAnswersEachCommandOnce() throws Exception {
        try (var nats = new ProductionServers.PrivateNats();
             var deployment = LocalDeployment.start("nats-outage", "processes", 1, Map.of("BABBLE_NATS_URL", nats.url()))) {
            var client = new BabbleClient(deployment.baseUrl());
            var cat = client.signUp(E2E.uniqueName("cat"), PASSWORD);
            UUID room = cat.createRoom("no bus").id();
            var watch = new Watcher();
            try (var socket = watch(deployment, 1, cat, room, watch)) {
                var retries = new AtomicInteger();
                var serverErrors = new AtomicInteger();
                int sent = 0;
                int quotes = 0;
                long stoppedAt = 0;
                long restartedAt = 0;
                var drainedAt = new java.util.concurrent.atomic.AtomicLong();
                long start = System.nanoTime();
                var acknowledged = new ArrayList<MessageView>();
                while (System.nanoTime() - start < Duration.ofSeconds(25).toNanos()) {
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    if (stoppedAt == 0 && elapsed > 5_000) {
                        nats.stop();
                        stoppedAt = System.nanoTime();
                    }
                    if (stoppedAt != 0 && restartedAt == 0 && System.nanoTime() - stoppedAt > Duration.ofSeconds(10).toNanos()) {
                        nats.start();
                        restartedAt = System.nanoTime();
                        long lastBefore = acknowledged.getLast().seq();
                        Thread.ofVirtual().start(() -> { // everything acknowledged during the outage reaches the socket
                            while (!watch.seen.containsKey(lastBefore)) {
                                sleep(20);
                            }
                            drainedAt.set(System.nanoTime());
                        });
                    }
                    sent++;
                    boolean command = sent % 10 == 0;
                    quotes += command ? 1 : 0;
                    String text = command ? "!quote" : "hello " + sent;
                    acknowledged.add(postUntilAcknowledged(cat, room, text, "nats-" + sent, retries, serverErrors));
                    sleep(100);
                }
                int triggers = quotes;
                await().atMost(Duration.ofSeconds(60)).until(() -> everyMessage(cat, room).stream()
                        .filter(m -> m.username().equals("babblebot")).count() >= triggers);
                List<MessageView> stored = everyMessage(cat, room);
                long botReplies = stored.stream().filter(m -> m.username().equals("babblebot")).count();
                await().atMost(Duration.ofSeconds(60)).until(() -> watch.seen.size() >= stored.size());
                long drainedAfter = (drainedAt.get() - restartedAt) / 1_000_000;
                sleep(2_000);
                long finalBotReplies = everyMessage(cat, room).stream().filter(m -> m.username().equals("babblebot")).count();
                E2E.reportFailureTest("NATS down 10 s", Map.of("sent", sent, "acknowledged", acknowledged.size(),
                        "stored_by_users", stored.size() - botReplies, "quote_commands", triggers, "bot_replies", finalBotReplies,
                        "delivered", watch.seen.size(), "duplicates_live", watch.duplicates(),
                        "drained_ms_after_nats_back", drainedAfter, "server_errors", serverErrors.get()));

                assertThat(stored.size() - botReplies).isEqualTo(acknowledged.size());
                assertThat(stored.stream().filter(m -> !m.username().equals("babblebot")).map(MessageView::id).toList())
                        .containsExactlyElementsOf(acknowledged.stream().map(MessageView::id).toList());
                assertThat(finalBotReplies).isEqualTo(triggers);
                assertThat(watch.duplicates()).isZero();
                assertThat(watch.order).isSorted();
                assertThat(serverErrors.get()).isZero();
            }
        }
    }

    @Test
    void restartingPostgresMakesServicesNotReadyAndTheyRecoverByThemselves() throws Exception {
        var deployment = Deployments.failures();
        var client = new BabbleClient(deployment.baseUrl());
        var dee = client.signUp(E2E.uniqueName("dee"), PASSWORD);
        UUID room = dee.createRoom("database blip").id();
        var running = new AtomicBoolean(true);
        var statuses = new ConcurrentHashMap<Integer, Integer>();
        var load = Thread.ofVirtual().start(() -> {
            int i = 0;
            while (running.get()) {
                try {
                    int status = dee.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "load " + i++)).status();
                    statuses.merge(status, 1, Integer::sum);
                } catch (RuntimeException e) {
                    statuses.merge(-1, 1, Integer::sum);
                }
                sleep(200);
            }
        });
        long down = System.nanoTime();
        var upAt = new java.util.concurrent.atomic.AtomicLong();
        var restart = Thread.ofVirtual().start(() -> {
            try {
                ProductionServers.restartPostgres(Duration.ofSeconds(4));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                upAt.set(System.nanoTime());
            }
        });
        boolean sawNotReady = false;
        String status;
        do {
            status = deployment.console("status");
            sawNotReady |= status.contains("not ready");
            sleep(250);
        } while ((upAt.get() == 0 || status.contains("not ready"))
                && System.nanoTime() - down < Duration.ofSeconds(90).toNanos());
        restart.join();
        long up = upAt.get();
        long recoveredMs = (System.nanoTime() - up) / 1_000_000;
        running.set(false);
        load.join();
        MessageView after = dee.post(room, "after the restart");
        E2E.reportFailureTest("PostgreSQL restart", Map.of("outage_ms", (up - down) / 1_000_000, "saw_not_ready", sawNotReady,
                "ready_again_ms_after_start", recoveredMs, "answers_during_load", statuses));

        assertThat(sawNotReady).as("services said they were not ready while PostgreSQL was down").isTrue();
        assertThat(status).doesNotContain("not ready");
        assertThat(after.text()).isEqualTo("after the restart");
        assertThat(statuses).doesNotContainKey(500);
    }

    @Test
    void twoGatewaysShareLiveDeliveryAndOneKeepsServingWhenTheOtherDies() throws Exception {
        var deployment = Deployments.failures();
        var first = new BabbleClient(deployment.gatewayUrl(1));
        var second = new BabbleClient(deployment.gatewayUrl(2));
        var eve = first.signUp(E2E.uniqueName("eve"), PASSWORD);
        var fay = second.signIn(second.register(E2E.uniqueName("fay"), PASSWORD, null).username(), PASSWORD);
        UUID room = eve.createRoom("two doors").id();
        fay.join(room);
        var eveWatch = new Watcher();
        var fayWatch = new Watcher();
        try (var eveSocket = watch(deployment, 1, eve, room, eveWatch)) {
            var faySocket = watch(deployment, 2, fay, room, fayWatch);

            long sent = System.nanoTime();
            eve.post(room, "through gateway 1");
            await().atMost(Duration.ofSeconds(5)).until(() -> fayWatch.seen.containsKey(1L));
            long crossMs = (System.nanoTime() - sent) / 1_000_000;
            fay.post(room, "through gateway 2");
            await().atMost(Duration.ofSeconds(5)).until(() -> eveWatch.seen.containsKey(2L));

            deployment.console("kill gateway-2");
            assertThat(faySocket.closeCode(Duration.ofSeconds(10))).isNotNull();
            for (int i = 3; i <= 10; i++) {
                eve.post(room, "only gateway 1 now " + i);
            }
            var fayAgain = new UserSession(first, fay.token(), fay.user()); // fay moves to the gateway still up
            try (var moved = LiveClient.connect(SOCKETS, deployment.gatewayUrl(1), fayAgain.token(), fayWatch)) {
                moved.awaitType("welcome", Duration.ofSeconds(5));
                moved.subscribe(room, 2);
                moved.awaitType("subscribed", Duration.ofSeconds(5));
                await().atMost(Duration.ofSeconds(10)).until(() -> fayWatch.seen.size() == 10);
            }
            E2E.reportFailureTest("two gateways", Map.of("cross_gateway_ms", crossMs, "delivered_after_failover", fayWatch.seen.size(),
                    "duplicates_live", fayWatch.duplicates() + eveWatch.duplicates()));

            assertThat(fayWatch.duplicates()).isZero();
            assertThat(fayWatch.seen.keySet()).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList());
            assertThat(eve.latest(room, 50)).hasSize(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
