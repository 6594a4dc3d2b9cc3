package babble.e2e;

import static babble.e2e.AccountsIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.LiveClient;
import babble.contracts.api.MessageView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * API.md, "Chat that people expect": editing and deleting messages, reacting to them and mentioning members, over
 * REST and live, and a client that resumes after being away seeing the room as it is now.
 */
class MessageChangesIT extends E2E {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /**
     * A deployment that has just said it is ready may answer its first posts too slowly (cold JVMs): one post, tried
     * again while 503, before the tests (whose calls never retry). See {@link E2E#whenAvailable}.
     */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        var client = new babble.client.BabbleClient(Deployments.shared().baseUrl());
        var someone = client.signUp(uniqueName("warm"), PASSWORD);
        UUID room = someone.createRoom("warm up").id();
        E2E.whenAvailable(() -> someone.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "warm"))).orThrow();
    }

    private static String path(UUID room, Object seq) {
        return "/api/v1/rooms/" + room + "/messages/" + seq;
    }

    private static boolean is(JsonNode frame, String type) {
        return frame.path("type").asText().equals(type);
    }

    @Test
    void theAuthorEditsAMessageAndEveryMemberReadsItAsEdited() {
        var ann = newUser("ann");
        var ben = newUser("ben");
        UUID room = ann.createRoom("edits").id();
        ben.join(room);
        MessageView posted = ann.post(room, "teh plan");

        ApiResponse response = ann.call("PATCH", path(room, posted.seq()), Map.of("text", "the plan"));

        assertThat(response.status()).isEqualTo(200);
        MessageView edited = response.as(MessageView.class);
        assertThat(edited.id()).isEqualTo(posted.id());
        assertThat(edited.seq()).isEqualTo(posted.seq());
        assertThat(edited.text()).isEqualTo("the plan");
        assertThat(edited.editedAt()).isAfterOrEqualTo(posted.createdAt());
        assertThat(edited.createdAt()).isEqualTo(posted.createdAt());
        assertThat(ben.latest(room, 10)).containsExactly(edited);
        // The same text again, as a retried PATCH sends it, answers the message as it is and changes nothing.
        assertThat(ann.edit(room, posted.seq(), "the plan")).isEqualTo(edited);
        assertThat(response.json().has("deleted")).isFalse();
        assertThat(ann.call("GET", "/api/v1/rooms/" + room + "/messages", null).json().get("messages").get(0)
                .has("editedAt")).isTrue();
    }

    @Test
    void editsOfOthersOrOfWhatIsNotThereOrWithBadTextAreRefusedAndChangeNothing() {
        var cat = newUser("cat");
        var dov = newUser("dov");
        var eve = newUser("eve");
        UUID room = cat.createRoom("refused edits").id();
        dov.join(room);
        cat.post(room, "cat's words");

        assertProblem(dov.call("PATCH", path(room, 1), Map.of("text", "dov's words")), 403); // the owner's room, not dov's message
        assertProblem(eve.call("PATCH", path(room, 1), Map.of("text", "eve's words")), 403); // not a member
        assertProblem(client.call("PATCH", path(room, 1), Map.of("text", "anyone's"), null), 401);
        assertProblem(cat.call("PATCH", path(room, 2), Map.of("text", "no such")), 404);
        assertProblem(cat.call("PATCH", path(room, "first"), Map.of("text", "no such")), 404);
        assertProblem(cat.call("PATCH", path(room, 0), Map.of("text", "no such")), 404);
        assertProblem(cat.call("PATCH", path(UUID.randomUUID(), 1), Map.of("text", "no room")), 404);
        for (Object bad : List.of("", "   ", "x".repeat(4001), 42, "a\u0000b")) {
            var answer = cat.call("PATCH", path(room, 1), Map.of("text", bad));
            assertProblem(answer, 422);
            assertThat(answer.json().get("errors").get(0).get("field").asText()).isEqualTo("text");
        }
        assertProblem(cat.call("PATCH", path(room, 1), Map.of()), 422);
        assertProblem(cat.call("PATCH", path(room, 1), "{\"text\": \"unclosed"), 400);

        var now = cat.latest(room, 10);
        assertThat(now).extracting(MessageView::text).containsExactly("cat's words");
        assertThat(now.getFirst().editedAt()).isNull();
    }

    @Test
    void aDeletedMessageStaysAsATombstoneSoSeqsStayDense() {
        var fay = newUser("fay");
        var gus = newUser("gus");
        var hal = newUser("hal");
        UUID room = fay.createRoom("deletions").id();
        gus.join(room);
        hal.join(room);
        gus.post(room, "one");
        gus.post(room, "two");
        hal.post(room, "three");

        assertProblem(hal.call("DELETE", path(room, 1), null), 403); // neither its author nor the room's owner
        assertThat(gus.call("DELETE", path(room, 1), null).status()).isEqualTo(204); // its author
        assertThat(gus.call("DELETE", path(room, 1), null).status()).isEqualTo(204); // again: nothing more happens
        assertThat(fay.call("DELETE", path(room, 3), null).status()).isEqualTo(204); // the room's owner
        assertProblem(fay.call("DELETE", path(room, 4), null), 404);
        assertProblem(newUser("ivy").call("DELETE", path(room, 2), null), 403);
        assertProblem(gus.call("PATCH", path(room, 1), Map.of("text", "back")), 404); // deleted is gone

        var all = hal.call("GET", "/api/v1/rooms/" + room + "/messages", null).json().get("messages");
        assertThat(all).hasSize(3);
        JsonNode tombstone = all.get(0);
        assertThat(tombstone.get("seq").asLong()).isEqualTo(1);
        assertThat(tombstone.get("deleted").asBoolean()).isTrue();
        assertThat(tombstone.has("text") || tombstone.has("userId") || tombstone.has("username")).isFalse();
        assertThat(all.get(1).get("text").asText()).isEqualTo("two");
        assertThat(all.get(2).get("deleted").asBoolean()).isTrue();
        assertThat(hal.post(room, "four").seq()).isEqualTo(4);
    }

    @Test
    void aSubscribedSocketSeesEditsAndDeletionsAsTheyHappen() {
        var jon = newUser("jon");
        var kim = newUser("kim");
        UUID room = jon.createRoom("live changes").id();
        kim.join(room);
        try (var socket = live(kim)) {
            socket.subscribe(room, 0, 0);
            JsonNode ack = socket.await(f -> is(f, "subscribed"), WAIT, new ArrayList<>());
            assertThat(ack.get("change").asLong()).isZero();
            MessageView posted = jon.post(room, "draft");
            socket.awaitType("message", WAIT);

            jon.edit(room, posted.seq(), "final");
            JsonNode updated = socket.awaitType("message-updated", WAIT);
            assertThat(updated.get("message").get("seq").asLong()).isEqualTo(posted.seq());
            assertThat(updated.get("message").get("text").asText()).isEqualTo("final");
            assertThat(updated.get("message").has("editedAt")).isTrue();
            assertThat(updated.get("change").asLong()).isEqualTo(1);

            jon.deleteMessage(room, posted.seq());
            JsonNode deleted = socket.awaitType("message-deleted", WAIT);
            assertThat(deleted.get("roomId").asText()).isEqualTo(room.toString());
            assertThat(deleted.get("seq").asLong()).isEqualTo(posted.seq());
            assertThat(deleted.get("change").asLong()).isEqualTo(2);
            assertThat(socket.drain(Duration.ofMillis(300))).noneMatch(f -> f.path("type").asText().startsWith("message"));
        }
    }

    @Test
    void aClientThatResumesWithItsSeqAndChangeSeesTheRoomAsItIsNowThroughAnyGateway() {
        var lea = newUser("lea");
        var max = newUser("max");
        UUID room = lea.createRoom("resume changes").id();
        max.join(room);
        for (String text : List.of("one", "two", "three")) {
            lea.post(room, text);
        }
        lea.edit(room, 3, "three, before max left"); // change 1: max sees it when subscribing from 0
        var first = live(max);
        first.subscribe(room, 0, 0);
        var before = new ArrayList<JsonNode>();
        JsonNode ack = first.await(f -> is(f, "subscribed"), WAIT, before);
        assertThat(ack.get("lastSeq").asLong()).isEqualTo(3);
        assertThat(ack.get("change").asLong()).isEqualTo(1);
        first.abort(); // the network drops

        lea.edit(room, 1, "one, edited while away");   // change 2
        lea.deleteMessage(room, 2);                      // change 3
        lea.edit(room, 1, "one, edited twice");        // change 4
        lea.post(room, "four");
        lea.edit(room, 4, "four, edited");             // change 5, of a message max has not seen

        // Through the last gateway: in processes mode another one than the first socket's.
        var other = deployment.gateways().getLast();
        try (var second = LiveClient.connect(SOCKETS, other, max.token())) {
            second.awaitType("welcome", WAIT);
            second.subscribe(room, 3, 1);
            var frames = new ArrayList<JsonNode>();
            JsonNode resumed = second.await(f -> is(f, "subscribed"), WAIT, frames);

            assertThat(resumed.get("recovered").asBoolean()).isTrue();
            assertThat(resumed.get("lastSeq").asLong()).isEqualTo(4);
            assertThat(resumed.get("change").asLong()).isEqualTo(5);
            var messages = frames.stream().filter(f -> is(f, "message")).toList();
            assertThat(messages).hasSize(1);
            assertThat(messages.getFirst().get("message").get("text").asText()).isEqualTo("four, edited");
            var updated = frames.stream().filter(f -> is(f, "message-updated")).toList();
            assertThat(updated).hasSize(1); // seq 1 once, as it is now
            assertThat(updated.getFirst().get("message").get("text").asText()).isEqualTo("one, edited twice");
            var deleted = frames.stream().filter(f -> is(f, "message-deleted")).toList();
            assertThat(deleted).extracting(f -> f.get("seq").asLong()).containsExactly(2L);

            // Already up to date: resuming again sends nothing but the acknowledgement.
            second.subscribe(room, 4, 5);
            var again = new ArrayList<JsonNode>();
            second.await(f -> is(f, "subscribed"), WAIT, again);
            assertThat(again).isEmpty();
            // A bare seq knows no change: every change up to it comes again, once each.
            second.subscribe(room, 3);
            var bare = new ArrayList<JsonNode>();
            second.await(f -> is(f, "subscribed"), WAIT, bare);
            assertThat(bare).extracting(f -> f.get("type").asText() + " " + (f.has("seq") ? f.get("seq") : f.get("message").get("seq")))
                    .containsExactlyInAnyOrder("message 4", "message-deleted 2", "message-updated 1", "message-updated 3");
        }
    }

    @Test
    void badResumePositionsAreAnsweredWithAnErrorFrame() {
        var ned = newUser("ned");
        UUID room = ned.createRoom("bad positions").id();
        try (var socket = live(ned)) {
            for (Object bad : List.of(Map.of("seq", -1, "change", 0), Map.of("seq", 1, "change", -3),
                    Map.of("seq", "1"), Map.of("change", 2), Map.of("seq", 1, "change", 0, "more", 1))) {
                socket.send(Map.of("type", "subscribe", "rooms", Map.of(room.toString(), bad)));
                JsonNode error = socket.awaitType("error", WAIT);
                assertThat(error.get("status").asInt()).isEqualTo(422);
            }
            socket.subscribe(room, 0, 0);
            assertThat(socket.awaitType("subscribed", WAIT).get("recovered").asBoolean()).isTrue();
        }
    }

    private static String reaction(UUID room, long seq, String emoji) {
        return path(room, seq) + "/reactions/" + emoji;
    }

    @Test
    void membersReactWithAFixedSetOfEmojiCountedOnceEachAndEveryoneSeesTheCountsLive() {
        var ora = newUser("ora");
        var pip = newUser("pip");
        UUID room = ora.createRoom("reactions").id();
        pip.join(room);
        MessageView posted = ora.post(room, "shipped!");
        try (var socket = live(ora)) {
            socket.subscribe(room, posted.seq(), 0);
            socket.await(f -> is(f, "subscribed"), WAIT, new ArrayList<>());

            ApiResponse given = pip.call("PUT", reaction(room, posted.seq(), "tada"), null);
            assertThat(given.status()).isEqualTo(200);
            assertThat(given.json().get("reactions").toString()).isEqualTo("[{\"emoji\":\"tada\",\"count\":1,\"me\":true}]");
            assertThat(pip.call("PUT", reaction(room, posted.seq(), "tada"), null).json().get("reactions").get(0)
                    .get("count").asInt()).isEqualTo(1); // giving it again counts once
            ora.call("PUT", reaction(room, posted.seq(), "tada"), null).orThrow();

            JsonNode first = socket.awaitType("reactions", WAIT);
            assertThat(first.get("seq").asLong()).isEqualTo(posted.seq());
            assertThat(first.get("emoji").asText()).isEqualTo("tada");
            assertThat(first.get("by").asText()).isEqualTo(pip.id().toString());
            assertThat(first.get("added").asBoolean()).isTrue();
            assertThat(first.get("reactions").toString()).isEqualTo("[{\"emoji\":\"tada\",\"count\":1}]");
            JsonNode second = socket.awaitType("reactions", WAIT);
            assertThat(second.get("reactions").get(0).get("count").asInt()).isEqualTo(2);
            assertThat(second.get("change").asLong()).isEqualTo(first.get("change").asLong() + 1);

            var read = ora.latest(room, 1).getFirst().reactions();
            assertThat(read).containsExactly(new MessageView.Reaction("tada", 2, true));
            pip.call("DELETE", reaction(room, posted.seq(), "tada"), null).orThrow();
            JsonNode takenBack = socket.awaitType("reactions", WAIT);
            assertThat(takenBack.get("added").asBoolean()).isFalse();
            assertThat(takenBack.get("reactions").get(0).get("count").asInt()).isEqualTo(1);
            assertThat(socket.drain(Duration.ofMillis(300))).noneMatch(f -> is(f, "reactions")); // the repeat sent nothing
        }

        var unknown = pip.call("PUT", reaction(room, posted.seq(), "unicorn"), null);
        assertProblem(unknown, 422);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("emoji");
        assertProblem(newUser("quin").call("PUT", reaction(room, posted.seq(), "heart"), null), 403);
        assertProblem(pip.call("PUT", reaction(room, 99, "heart"), null), 404);
        assertProblem(client.call("PUT", reaction(room, posted.seq(), "heart"), null, null), 401);
        assertThat(ora.latest(room, 1).getFirst().reactions()).containsExactly(new MessageView.Reaction("tada", 1, true));
    }

    @Test
    void aMentionedMemberIsNotifiedLiveAndCountsItUntilTheyReadTheRoom() {
        var rae = newUser("rae");
        var sol = newUser("sol");
        var tom = newUser("tom");
        UUID room = rae.createRoom("mentions").id();
        sol.join(room);
        String solName = sol.user().username();
        try (var socket = live(sol)) {
            // The messages service learns usernames from join events: the first mention may name no one yet.
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !rae.post(room, "hello @" + solName).mentions().isEmpty());
            JsonNode first = socket.awaitType("notification", WAIT);
            assertThat(first.get("kind").asText()).isEqualTo("mention");

            MessageView named = rae.post(room, "@" + solName.toUpperCase() + ", @" + tom.user().username() + " and me, @"
                    + rae.user().username() + ": lunch?");
            assertThat(named.mentions()).containsExactly(sol.id()); // tom is not a member; the author is left out
            JsonNode note = socket.awaitType("notification", WAIT);
            assertThat(note.get("roomId").asText()).isEqualTo(room.toString());
            assertThat(note.get("seq").asLong()).isEqualTo(named.seq());
            assertThat(note.get("by").get("id").asText()).isEqualTo(rae.id().toString());
            assertThat(note.get("by").get("username").asText()).isEqualTo(rae.user().username());
        }
        long unread = sol.myRooms().rooms().stream().filter(r -> r.id().equals(room)).findFirst().orElseThrow().mentions();
        assertThat(unread).isGreaterThanOrEqualTo(2);
        assertThat(sol.latest(room, 1).getFirst().mentions()).containsExactly(sol.id());

        sol.markRead(room, sol.latest(room, 1).getFirst().seq());
        assertThat(sol.myRooms().rooms().stream().filter(r -> r.id().equals(room)).findFirst().orElseThrow().mentions()).isZero();
        assertThat(rae.myRooms().rooms().stream().filter(r -> r.id().equals(room)).findFirst().orElseThrow().mentions()).isZero();
    }
}
