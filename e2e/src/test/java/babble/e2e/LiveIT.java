package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.client.LiveClient;
import babble.client.UserSession;
import babble.contracts.api.MessageView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** API.md, Live: the WebSocket delivers every message of a subscribed room once, in order, across reconnects. */
class LiveIT extends E2E {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static JsonNode subscribed(LiveClient socket, UUID room) {
        return socket.await(f -> f.path("type").asText().equals("subscribed") && f.path("roomId").asText().equals(room.toString()),
                WAIT, new ArrayList<>());
    }

    private static List<Long> seqsOf(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.path("type").asText().equals("message"))
                .map(f -> f.get("message").get("seq").asLong()).toList();
    }

    @Test
    void aPostedMessageReachesAnotherMembersSocket() {
        var ann = newUser("ann");
        var ben = newUser("ben");
        UUID room = ann.createRoom("live").id();
        ben.join(room);
        try (var socket = live(ben)) {
            socket.subscribe(room, 0);
            JsonNode ack = subscribed(socket, room);
            assertThat(ack.get("recovered").asBoolean()).isTrue();
            assertThat(ack.get("lastSeq").asLong()).isZero();

            long sent = System.nanoTime();
            MessageView posted = ann.post(room, "hello ben");
            JsonNode frame = socket.awaitType("message", WAIT);
            long micros = (System.nanoTime() - sent) / 1_000;

            assertThat(frame.get("message").get("id").asText()).isEqualTo(posted.id().toString());
            assertThat(frame.get("message").get("seq").asLong()).isEqualTo(posted.seq());
            assertThat(frame.get("message").get("text").asText()).isEqualTo("hello ben");
            assertThat(frame.get("message").get("username").asText()).isEqualTo(ann.user().username());
            System.out.printf("live delivery (post answered → frame on the other socket): %d µs%n", micros);
        }
    }

    @Test
    void aClientThatReconnectsWithItsLastSeqGetsExactlyWhatItMissedInOrder() {
        var cat = newUser("cat");
        var dov = newUser("dov");
        UUID room = cat.createRoom("reconnect").id();
        dov.join(room);
        var first = live(dov);
        first.subscribe(room, 0);
        subscribed(first, room);
        for (int i = 1; i <= 5; i++) {
            cat.post(room, "before " + i);
        }
        long lastSeen = seqsOf(List.of(first.awaitType("message", WAIT), first.awaitType("message", WAIT),
                first.awaitType("message", WAIT), first.awaitType("message", WAIT), first.awaitType("message", WAIT))).getLast();
        assertThat(lastSeen).isEqualTo(5);

        first.abort(); // the network drops
        for (int i = 1; i <= 20; i++) {
            cat.post(room, "missed " + i);
        }
        try (var second = live(dov)) {
            second.subscribe(room, lastSeen);
            var frames = new ArrayList<JsonNode>();
            JsonNode ack = second.await(f -> f.path("type").asText().equals("subscribed"), WAIT, frames);

            assertThat(seqsOf(frames)).containsExactlyElementsOf(IntStream.rangeClosed(6, 25).mapToObj(i -> (long) i).toList());
            assertThat(frames).filteredOn(f -> f.path("type").asText().equals("message"))
                    .extracting(f -> f.get("message").get("text").asText()).first().isEqualTo("missed 1");
            assertThat(ack.get("recovered").asBoolean()).isTrue();
            assertThat(ack.get("lastSeq").asLong()).isEqualTo(25);

            cat.post(room, "after");
            assertThat(seqsOf(List.of(second.awaitType("message", WAIT)))).containsExactly(26L);
            assertThat(seqsOf(second.drain(Duration.ofMillis(500)))).isEmpty(); // nothing twice
        }
    }

    @Test
    void missingMoreThanTheReplayLimitIsReportedAsNotRecovered() throws Exception {
        var eli = newUser("eli");
        UUID room = eli.createRoom("flood").id();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 1_005; i++) {
                int n = i;
                pool.submit(() -> eli.post(room, "m" + n));
            }
        }
        try (var socket = live(eli)) {
            socket.subscribe(room, 0);
            var frames = new ArrayList<JsonNode>();
            JsonNode ack = socket.await(f -> f.path("type").asText().equals("subscribed"), WAIT, frames);

            assertThat(ack.get("recovered").asBoolean()).isFalse();
            assertThat(ack.get("lastSeq").asLong()).isEqualTo(1_005);
            assertThat(seqsOf(frames)).isEmpty();

            socket.subscribe(room, 1_000); // five missed: replayed
            var recent = new ArrayList<JsonNode>();
            JsonNode second = socket.await(f -> f.path("type").asText().equals("subscribed"), WAIT, recent);
            assertThat(seqsOf(recent)).containsExactly(1_001L, 1_002L, 1_003L, 1_004L, 1_005L);
            assertThat(second.get("recovered").asBoolean()).isTrue();
        }
    }

    @Test
    void aNonMemberCannotSubscribeAndGetsNothing() {
        var fay = newUser("fay");
        var gil = newUser("gil");
        UUID room = fay.createRoom("members only").id();
        try (var socket = live(gil)) {
            socket.subscribe(room, 0);
            JsonNode error = socket.awaitType("error", WAIT);
            assertThat(error.get("status").asInt()).isEqualTo(403);
            assertThat(error.get("roomId").asText()).isEqualTo(room.toString());

            fay.post(room, "secret");
            assertThat(seqsOf(socket.drain(Duration.ofMillis(700)))).isEmpty();
        }
    }

    @Test
    void leavingTheRoomStopsDeliveryAtOnce() {
        var hal = newUser("hal");
        var ivy = newUser("ivy");
        UUID room = hal.createRoom("leaving").id();
        ivy.join(room);
        try (var socket = live(ivy)) {
            socket.subscribe(room, 0);
            subscribed(socket, room);

            ivy.leave(room);
            JsonNode gone = socket.awaitType("unsubscribed", WAIT);
            hal.post(room, "after ivy left");

            assertThat(gone.get("roomId").asText()).isEqualTo(room.toString());
            assertThat(seqsOf(socket.drain(Duration.ofMillis(700)))).isEmpty();
        }
    }

    @Test
    void unsubscribingStopsDelivery() {
        var jo = newUser("jo");
        UUID room = jo.createRoom("quiet please").id();
        try (var socket = live(jo)) {
            socket.subscribe(room, 0);
            subscribed(socket, room);

            socket.unsubscribe(room);
            socket.awaitType("unsubscribed", WAIT);
            jo.post(room, "nobody listening");

            assertThat(seqsOf(socket.drain(Duration.ofMillis(700)))).isEmpty();
        }
    }

    @Test
    void everyMessageArrivesOnceInOrderWhileSeveralUsersPostAtOnce() throws Exception {
        var kai = newUser("kai");
        var lia = newUser("lia");
        var max = newUser("max");
        UUID room = kai.createRoom("busy").id();
        lia.join(room);
        max.join(room);
        try (var kaiSocket = live(kai); var liaSocket = live(lia)) {
            kaiSocket.subscribe(room, 0);
            liaSocket.subscribe(room, 0);
            subscribed(kaiSocket, room);
            subscribed(liaSocket, room);

            try (var pool = Executors.newFixedThreadPool(6)) {
                for (UserSession poster : List.of(kai, lia, max)) {
                    for (int i = 0; i < 30; i++) {
                        int n = i;
                        pool.submit(() -> poster.post(room, poster.user().username() + " " + n));
                    }
                }
            }

            var expected = IntStream.rangeClosed(1, 90).mapToObj(i -> (long) i).toList();
            for (LiveClient socket : List.of(kaiSocket, liaSocket)) {
                var frames = new ArrayList<JsonNode>();
                while (seqsOf(frames).size() < 90) {
                    JsonNode frame = socket.next(WAIT);
                    assertThat(frame).as("frames so far: " + seqsOf(frames)).isNotNull();
                    frames.add(frame);
                }
                assertThat(seqsOf(frames)).containsExactlyElementsOf(expected);
                assertThat(seqsOf(socket.drain(Duration.ofMillis(300)))).isEmpty();
            }
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        var ned = newUser("ned");
        try (var socket = live(ned)) {
            socket.ping();

            assertThat(socket.awaitType("pong", WAIT)).isNotNull();
        }
    }

    @Test
    void aTokenInTheQueryAuthenticatesAndABadOneIsRefused() {
        var oz = newUser("oz");
        try (var socket = LiveClient.connectWithQueryToken(SOCKETS, deployment.baseUrl(), oz.token())) {
            assertThat(socket.awaitType("welcome", WAIT).get("user").get("id").asText()).isEqualTo(oz.id().toString());
        }

        assertThatThrownBy(() -> LiveClient.connectWithQueryToken(SOCKETS, deployment.baseUrl(), "not-a-token"))
                .hasMessageContaining("401");
    }

    @Test
    void oneUserHoldsAtMostFiftySocketsOnAGatewayAndAClosedOneFreesItsPlace() {
        var max = newUser("max");
        UUID room = max.createRoom("many tabs").id();
        var sockets = new ArrayList<LiveClient>();
        try {
            for (int i = 0; i < 50; i++) {
                sockets.add(live(max));
            }
            var oneTooMany = LiveClient.connect(SOCKETS, deployment.baseUrl(), max.token());
            oneTooMany.subscribe(room, 0);
            assertThat(oneTooMany.awaitType("error", WAIT).get("status").asInt()).isEqualTo(429);
            assertThat(oneTooMany.closeCode(WAIT)).isEqualTo(4429);

            sockets.removeFirst().close();
            // Once the gateway has seen the close, there is room again (a socket opened before that is refused).
            var again = org.awaitility.Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> live(max), s -> true);
            try (again) {
                again.subscribe(room, 0);
                assertThat(again.awaitType("subscribed", WAIT).get("roomId").asText()).isEqualTo(room.toString());
            }
        } finally {
            sockets.forEach(LiveClient::close);
        }
    }

    @Test
    void aFloodOfFramesIsCutToTheSocketsRateWithOneErrorASecondAndTheSocketLivesOn() {
        var fay = newUser("fay");
        try (var socket = live(fay)) {
            for (int i = 0; i < 300; i++) {
                socket.ping();
            }
            var frames = socket.drain(Duration.ofMillis(500));
            long pongs = frames.stream().filter(f -> f.path("type").asText().equals("pong")).count();
            var errors = frames.stream().filter(f -> f.path("type").asText().equals("error")).toList();
            // The burst of 60, less the auth frame, and what refilled meanwhile.
            assertThat(pongs).as("pings answered").isBetween(59L, 299L);
            assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.get("status").asInt()).isEqualTo(429));
            assertThat(errors.size()).as("one error a second, not one per dropped frame").isLessThanOrEqualTo(3);
            org.awaitility.Awaitility.await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                socket.ping(); // once the allowance refills, frames are answered again
                assertThat(socket.awaitType("pong", Duration.ofMillis(500))).isNotNull();
            });
        }
    }

    @Test
    void aBadTokenInTheFirstFrameIsAnErrorAndACloseAndNothingWorksBeforeAuth() {
        var early = LiveClient.connectWithQueryToken(SOCKETS, deployment.baseUrl(), null);
        early.subscribe(UUID.randomUUID(), 0);
        assertThat(early.awaitType("error", WAIT).get("status").asInt()).isEqualTo(401);
        assertThat(early.closeCode(WAIT)).isEqualTo(4401);

        var bad = LiveClient.connectWithQueryToken(SOCKETS, deployment.baseUrl(), null);
        bad.send("{\"type\":\"auth\",\"token\":\"wrong\"}");
        assertThat(bad.awaitType("error", WAIT).get("status").asInt()).isEqualTo(401);
        assertThat(bad.closeCode(WAIT)).isEqualTo(4401);
    }

    @Test
    void malformedFramesAreAnsweredWithErrorsAndTheSocketLivesOn() {
        var pia = newUser("pia");
        try (var socket = live(pia)) {
            socket.send("not json");
            assertThat(socket.awaitType("error", WAIT).get("status").asInt()).isEqualTo(400);
            socket.send("{\"type\":\"dance\"}");
            assertThat(socket.awaitType("error", WAIT).get("status").asInt()).isEqualTo(400);
            socket.send("{\"type\":\"subscribe\",\"rooms\":[]}");
            assertThat(socket.awaitType("error", WAIT).get("status").asInt()).isEqualTo(422);

            socket.ping();
            assertThat(socket.awaitType("pong", WAIT)).isNotNull();
        }
    }

    @Test
    void signingOutEndsTheLiveSocket() {
        var quin = newUser("quin");
        var socket = live(quin);

        quin.logout();

        assertThat(socket.closeCode(WAIT)).isEqualTo(4401);
    }

    @Test
    void typingIsForwardedToTheRoomsOtherMembersOnEveryGatewayAtMostEveryThreeSeconds() {
        var uma = newUser("uma");
        var vic = newUser("vic");
        UUID room = uma.createRoom("typing").id();
        vic.join(room);
        UUID elsewhere = vic.createRoom("not uma's").id();
        try (var typer = live(uma);
             var reader = babble.client.LiveClient.connect(SOCKETS, deployment.gateways().getLast(), vic.token())) {
            reader.awaitType("welcome", WAIT);
            typer.subscribe(room, 0);
            subscribed(typer, room);
            reader.subscribe(room, 0);
            subscribed(reader, room);

            typer.send(java.util.Map.of("type", "typing", "roomId", room.toString()));
            JsonNode typing = reader.awaitType("typing", WAIT);
            assertThat(typing.get("roomId").asText()).isEqualTo(room.toString());
            assertThat(typing.get("user").get("id").asText()).isEqualTo(uma.id().toString());
            assertThat(typing.get("user").get("username").asText()).isEqualTo(uma.user().username());
            typer.send(java.util.Map.of("type", "typing", "roomId", room.toString())); // within 3 s: not forwarded
            assertThat(reader.drain(Duration.ofMillis(800))).noneMatch(f -> f.path("type").asText().equals("typing"));
            assertThat(typer.drain(Duration.ofMillis(100))).noneMatch(f -> f.path("type").asText().equals("typing")); // not to oneself

            typer.send(java.util.Map.of("type", "typing", "roomId", elsewhere.toString())); // not subscribed there
            assertThat(typer.awaitType("error", WAIT).get("status").asInt()).isEqualTo(403);
            typer.send(java.util.Map.of("type", "typing", "roomId", "not-a-room"));
            assertThat(typer.awaitType("error", WAIT).get("status").asInt()).isEqualTo(422);
            typer.send(java.util.Map.of("type", "typing"));
            assertThat(typer.awaitType("error", WAIT).get("status").asInt()).isEqualTo(422);
        }
    }

    private static boolean presenceOf(JsonNode frame, UserSession user, boolean online) {
        return frame.path("type").asText().equals("presence") && frame.path("userId").asText().equals(user.id().toString())
                && frame.path("online").asBoolean() == online;
    }

    /** A presence frame about this user (each test's users also hear of their own sockets). */
    private static boolean presenceAbout(JsonNode frame, UserSession user) {
        return frame.path("type").asText().equals("presence") && frame.path("userId").asText().equals(user.id().toString());
    }

    private static List<String> online(UserSession asker, UserSession... users) {
        var ids = java.util.Arrays.stream(users).map(u -> u.id().toString()).toList();
        var answer = asker.call("GET", "/api/v1/presence?users=" + String.join(",", ids), null).orThrow().json();
        var online = new ArrayList<String>();
        answer.get("online").forEach(id -> online.add(id.asText()));
        return online;
    }

    @Test
    void presenceTellsTheMembersOfAUsersRoomsOnEveryGatewayOnceWhenTheyComeOnlineAndGoOffline() {
        var wyn = newUser("wyn");
        var xan = newUser("xan");
        var yul = newUser("yul"); // shares no room with wyn
        UUID shared = wyn.createRoom("presence").id();
        UUID second = wyn.createRoom("presence too").id();
        xan.join(shared);
        xan.join(second);
        UUID yuls = yul.createRoom("yul's own").id();
        try (var watcher = babble.client.LiveClient.connect(SOCKETS, deployment.gateways().getLast(), xan.token());
             var stranger = live(yul)) {
            watcher.awaitType("welcome", WAIT);
            watcher.subscribe(shared, 0); // one at a time: two rooms' "subscribed" frames may come in either order
            subscribed(watcher, shared);
            watcher.subscribe(second, 0);
            subscribed(watcher, second);
            stranger.subscribe(yuls, 0);
            subscribed(stranger, yuls);
            assertThat(online(xan, wyn, yul)).as("yul has a socket open, wyn none yet").containsExactly(yul.id().toString());

            var tab1 = live(wyn); // on the first gateway: the watcher is on the last
            var tab2 = live(wyn);
            var frames = new ArrayList<JsonNode>();
            watcher.await(f -> presenceOf(f, wyn, true), WAIT, frames);
            assertThat(online(yul, wyn, xan)).as("any signed-in user may ask").containsExactlyInAnyOrder(
                    wyn.id().toString(), xan.id().toString());
            assertThat(watcher.drain(Duration.ofMillis(500))).as("two tabs and two shared rooms: told once")
                    .noneMatch(f -> presenceAbout(f, wyn));
            assertThat(stranger.drain(Duration.ofMillis(100))).as("not told: shares no room with wyn")
                    .noneMatch(f -> presenceAbout(f, wyn));

            tab1.close();
            assertThat(watcher.drain(Duration.ofMillis(1_500))).as("one tab is still open")
                    .noneMatch(f -> presenceAbout(f, wyn));
            tab2.close();
            watcher.await(f -> presenceOf(f, wyn, false), WAIT, frames); // after the grace (a second here)
            assertThat(online(xan, wyn)).isEmpty();
            assertThat(stranger.drain(Duration.ofMillis(100))).noneMatch(f -> presenceAbout(f, wyn));
        }
    }

    @Test
    void askingWhoIsOnlineTakesUpToAHundredUserIds() {
        var zed = newUser("zed");
        var none = zed.call("GET", "/api/v1/presence", null);
        var blank = zed.call("GET", "/api/v1/presence?users=", null);
        var bad = zed.call("GET", "/api/v1/presence?users=" + zed.id() + ",nope", null);
        var many = zed.call("GET", "/api/v1/presence?users=" + String.join(",",
                IntStream.range(0, 101).mapToObj(i -> UUID.randomUUID().toString()).toList()), null);
        var anonymous = client.call("GET", "/api/v1/presence?users=" + zed.id(), null, null);

        assertThat(none.status()).isEqualTo(400);
        assertThat(none.header("Content-Type")).startsWith("application/problem+json");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("nope");
        assertThat(many.status()).isEqualTo(422);
        assertThat(anonymous.status()).isEqualTo(401);
    }
}
