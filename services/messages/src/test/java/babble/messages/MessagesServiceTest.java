package babble.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.MessageView;
import babble.contracts.api.RoomView;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageCreated;
import babble.contracts.events.MessageMentioned;
import babble.contracts.events.MessageReacted;
import babble.contracts.internal.Replay;
import babble.contracts.internal.Membership;
import babble.contracts.internal.ReadStateQuery;
import babble.contracts.internal.ReadStates;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.rooms.RoomsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The messages service on its real store, next to a real rooms service (its source of memberships). */
class MessagesServiceTest {
    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService(), new MessagesService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "room"), owner).as(RoomView.class);
    }

    private static TestHarness.Reply post(Identity as, RoomView room, String text) {
        return harness.call("messages", "POST", "/api/v1/rooms/" + room.id() + "/messages", Map.of("text", text), as);
    }

    @Test
    void concurrentPostsGetEverySeqOnceWithNoGaps() throws Exception {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        List<Future<TestHarness.Reply>> replies = new ArrayList<>();

        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                int n = i;
                replies.add(pool.submit(() -> post(owner, room, "message " + n)));
            }
        }

        List<Long> seqs = new ArrayList<>();
        for (var reply : replies) {
            assertThat(reply.get().status()).isEqualTo(201);
            seqs.add(reply.get().as(MessageView.class).seq());
        }
        assertThat(seqs).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
    }

    @Test
    void aRelayedBatchIsWrittenInOrderAndEachPostIsCheckedAlone() {
        var owner = TestHarness.user("relayowner");
        var stranger = TestHarness.user("relaystranger");
        RoomView room = room(owner);
        var posts = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 30; i++) {
            posts.add(Map.of("userId", owner.userId(), "username", owner.username(), "displayName", owner.displayName(),
                    "membershipVersion", 0, "text", "device " + i, "idempotencyKey", "mqtt:d" + i));
        }
        posts.add(3, Map.of("userId", stranger.userId(), "username", stranger.username(), "displayName", "S",
                "membershipVersion", 0, "text", "not a member", "idempotencyKey", "mqtt:s"));
        posts.add(Map.of("userId", owner.userId(), "username", owner.username(), "displayName", owner.displayName(),
                "membershipVersion", 0, "text", "device 0", "idempotencyKey", "mqtt:d0")); // a redelivery
        var relay = Identity.ofService("mqtt");

        var reply = harness.call("messages", "POST", "/internal/rooms/" + room.id() + "/messages", Map.of("posts", posts), relay);
        var again = harness.call("messages", "POST", "/internal/rooms/" + room.id() + "/messages", Map.of("posts", posts), relay);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        var results = reply.as(babble.contracts.internal.MessageBatchResult.class).results();
        assertThat(results).hasSize(32);
        assertThat(results.get(3).status()).isEqualTo(403);
        var seqs = results.stream().filter(r -> r.message() != null).map(r -> r.message().seq()).toList();
        assertThat(seqs.subList(0, 30)).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(results.getLast().message()).isEqualTo(results.getFirst().message());
        assertThat(again.as(babble.contracts.internal.MessageBatchResult.class).results()).isEqualTo(results);
        assertThat(harness.call("messages", "POST", "/internal/rooms/" + room.id() + "/messages", Map.of("posts", List.of()),
                relay).invalidField()).isEqualTo("posts");
    }

    /** The caller's identity after a membership change, carrying the version the rooms service answered. */
    private static Identity after(Identity caller, TestHarness.Reply change) {
        assertThat(change.status()).as(change.text()).isIn(200, 201, 204);
        return caller.withMembershipVersion(Long.parseLong(change.header(Membership.VERSION_HEADER)));
    }

    @Test
    void aMemberWhoJustLeftCannotPostAndOneWhoJustJoinedCanEveryTime() {
        var owner = TestHarness.user("owner");
        var visitor = TestHarness.user("visitor");
        RoomView room = room(owner);
        String members = "/api/v1/rooms/" + room.id() + "/members/me";

        for (int round = 0; round < 200; round++) {
            visitor = after(visitor, harness.call("rooms", "PUT", members, null, visitor));
            assertThat(post(visitor, room, "in " + round).status()).as("post after join, round %d", round).isEqualTo(201);
            visitor = after(visitor, harness.call("rooms", "DELETE", members, null, visitor));
            assertThat(post(visitor, room, "out " + round).status()).as("post after leave, round %d", round).isEqualTo(403);
        }
    }

    @Test
    void aRetryRacingItsFirstAttemptGetsTheSameMessageAndOthersInTheSameBatchAreWritten() throws Exception {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        List<Future<TestHarness.Reply>> retries = new ArrayList<>();
        List<Future<TestHarness.Reply>> others = new ArrayList<>();

        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                int n = i;
                retries.add(pool.submit(() -> harness.call("messages", "POST", "/api/v1/rooms/" + room.id() + "/messages",
                        Map.of("text", "once"), owner, Map.of("Idempotency-Key", "same-key"))));
                others.add(pool.submit(() -> post(owner, room, "other " + n)));
            }
        }

        var ids = new java.util.HashSet<java.util.UUID>();
        for (var reply : retries) {
            assertThat(reply.get().status()).as(reply.get().text()).isEqualTo(201);
            ids.add(reply.get().as(MessageView.class).id());
        }
        assertThat(ids).hasSize(1);
        for (var reply : others) {
            assertThat(reply.get().status()).as(reply.get().text()).isEqualTo(201);
        }
        var all = harness.call("messages", "GET", "/api/v1/rooms/" + room.id() + "/messages?limit=200", null, owner)
                .json().get("messages");
        assertThat(all.size()).isEqualTo(17); // 16 others and one "once", seqs 1..17 with no gaps
        assertThat(all.get(16).get("seq").asLong()).isEqualTo(17);
    }

    @Test
    void aUserWhoJustJoinedCanPostAtOnce() {
        var owner = TestHarness.user("owner");
        var newcomer = TestHarness.user("newcomer");
        RoomView room = room(owner);

        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, newcomer);
        var reply = post(newcomer, room, "hello, I am new");

        assertThat(reply.status()).isEqualTo(201); // answered by asking rooms when the copy has not caught up
    }

    @Test
    void theMembershipCopyFollowsRoomEvents() {
        var owner = TestHarness.user("owner");
        var guest = TestHarness.user("guest");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, guest);

        var db = harness.launcher().host("messages").orElseThrow().chassis().database();
        await().atMost(Duration.ofSeconds(5)).until(() -> db.withHandle(h -> h.createQuery(
                        "select count(*) from memberships where room_id = :r and member = true").bind("r", room.id())
                .mapTo(Integer.class).one()) == 2);

        harness.call("rooms", "DELETE", "/api/v1/rooms/" + room.id() + "/members/me", null, guest);

        await().atMost(Duration.ofSeconds(5)).until(() -> post(guest, room, "am I still in?").status() == 403);
    }

    @Test
    void eachStoredMessageIsPublishedWithItsSeq() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        List<MessageView> published = new CopyOnWriteArrayList<>();
        harness.launcher().infrastructure().bus().listen("events.message.created." + room.id(),
                e -> published.add(e.dataAs(MessageCreated.class).message()));

        MessageView one = post(owner, room, "one").as(MessageView.class);
        MessageView two = post(owner, room, "two").as(MessageView.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        assertThat(published).containsExactly(one, two);
    }

    @Test
    void readStatesAnswerEveryAskedRoom() {
        var owner = TestHarness.user("owner");
        RoomView busy = room(owner);
        RoomView quiet = room(owner);
        post(owner, busy, "a");
        post(owner, busy, "b");

        var states = harness.call("messages", "POST", "/internal/read-states",
                new ReadStateQuery(List.of(busy.id(), quiet.id())), owner).as(ReadStates.class);

        assertThat(states.rooms().get(busy.id())).isEqualTo(new ReadStates.ReadState(2, 2, 0, 0));
        assertThat(states.rooms().get(quiet.id())).isEqualTo(ReadStates.ReadState.NONE);
    }

    @Test
    void whenRoomsIsDownAnUnknownMembershipIs503NotA500() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        var stranger = TestHarness.user("stranger");
        try (var isolated = TestHarness.start(Map.of("BABBLE_ROOMS_URL", "http://127.0.0.1:9"), new MessagesService())) {
            var reply = isolated.call("messages", "POST", "/api/v1/rooms/" + room.id() + "/messages", Map.of("text", "hi"), stranger);

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("status").asInt()).isEqualTo(503);
        }
    }

    private static TestHarness.Reply edit(Identity as, RoomView room, long seq, String text) {
        return harness.call("messages", "PATCH", "/api/v1/rooms/" + room.id() + "/messages/" + seq, Map.of("text", text), as);
    }

    private static TestHarness.Reply delete(Identity as, RoomView room, long seq) {
        return harness.call("messages", "DELETE", "/api/v1/rooms/" + room.id() + "/messages/" + seq, null, as);
    }

    private static Replay replay(RoomView room, long after, long afterChange, int max) {
        return harness.call("messages", "GET", "/internal/rooms/" + room.id() + "/replay?after=" + after + "&afterChange="
                + afterChange + "&max=" + max, null, Identity.ofService("gateway")).as(Replay.class);
    }

    private static List<MessageView> history(Identity as, RoomView room) {
        return harness.call("messages", "GET", "/api/v1/rooms/" + room.id() + "/messages", null, as)
                .as(babble.contracts.api.MessageList.class).messages();
    }

    @Test
    void theAuthorEditsAMessageOnceAndTheChangeIsPublishedWithTheRoomsChangeNumber() {
        var owner = TestHarness.user("owner");
        var other = TestHarness.user("other");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, other);
        List<MessageChanged> published = new CopyOnWriteArrayList<>();
        harness.launcher().infrastructure().bus().listen("events.message.changed." + room.id(),
                e -> published.add(e.dataAs(MessageChanged.class)));
        MessageView first = post(owner, room, "helo").as(MessageView.class);

        var reply = edit(owner, room, 1, "hello");
        assertThat(reply.status()).isEqualTo(200);
        MessageView edited = reply.as(MessageView.class);
        assertThat(edited.text()).isEqualTo("hello");
        assertThat(edited.editedAt()).isNotNull();
        assertThat(edited.id()).isEqualTo(first.id());
        assertThat(edited.seq()).isEqualTo(1);
        assertThat(reply.json().has("deleted")).isFalse();
        // The same text again (a retried PATCH) answers the message and changes nothing.
        assertThat(edit(owner, room, 1, "hello").as(MessageView.class)).isEqualTo(edited);
        assertThat(history(other, room)).containsExactly(edited);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(published).containsExactly(new MessageChanged(edited, 1));
        assertThat(replay(room, 1, 0, 100).lastChange()).isEqualTo(1);
    }

    @Test
    void editsAreRefusedToOthersForDeletedOrUnknownMessagesAndForBadText() {
        var owner = TestHarness.user("owner");
        var other = TestHarness.user("other");
        var stranger = TestHarness.user("stranger");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, other);
        post(owner, room, "mine");

        assertThat(edit(other, room, 1, "theirs").status()).isEqualTo(403); // even the owner's own room: author only
        assertThat(edit(stranger, room, 1, "theirs").status()).isEqualTo(403);
        assertThat(edit(owner, room, 2, "no such").status()).isEqualTo(404);
        assertThat(harness.call("messages", "PATCH", "/api/v1/rooms/" + room.id() + "/messages/x1", Map.of("text", "a"), owner)
                .status()).isEqualTo(404);
        assertThat(harness.call("messages", "PATCH", "/api/v1/rooms/" + room.id() + "/messages/0", Map.of("text", "a"), owner)
                .status()).isEqualTo(404);
        assertThat(edit(owner, room, 1, " ").status()).isEqualTo(422);
        assertThat(edit(owner, room, 1, "x".repeat(Messages_MAX + 1)).status()).isEqualTo(422);
        delete(owner, room, 1);
        assertThat(edit(owner, room, 1, "back").status()).isEqualTo(404);
        assertThat(replay(room, 1, 0, 100).lastChange()).isEqualTo(1); // only the deletion counted
    }

    private static final int Messages_MAX = babble.messages.domain.Messages.MAX_TEXT;

    @Test
    void aDeletedMessageLeavesATombstoneSoSeqsStayDenseAndOnlyItsAuthorOrTheRoomsOwnerMayDeleteIt() {
        var owner = TestHarness.user("owner");
        var author = TestHarness.user("author");
        var other = TestHarness.user("other");
        RoomView room = room(owner);
        for (var member : List.of(author, other)) {
            harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, member);
        }
        post(author, room, "one");
        post(author, room, "two");
        post(author, room, "three");

        assertThat(delete(other, room, 1).status()).isEqualTo(403);
        assertThat(delete(author, room, 1).status()).isEqualTo(204);
        assertThat(delete(author, room, 1).status()).isEqualTo(204); // a retry: still deleted, nothing more
        assertThat(delete(owner, room, 2).status()).isEqualTo(204); // the owner moderates
        assertThat(delete(owner, room, 4).status()).isEqualTo(404);

        var all = history(other, room);
        assertThat(all).extracting(MessageView::seq).containsExactly(1L, 2L, 3L);
        assertThat(all.get(0).deleted()).isTrue();
        assertThat(all.get(0).text()).isNull();
        assertThat(all.get(0).userId()).isNull();
        assertThat(all.get(1).deleted()).isTrue();
        assertThat(all.get(2).text()).isEqualTo("three");
        var raw = harness.call("messages", "GET", "/api/v1/rooms/" + room.id() + "/messages", null, other).json()
                .get("messages").get(0);
        assertThat(raw.get("deleted").asBoolean()).isTrue();
        assertThat(raw.has("text")).isFalse();
        assertThat(replay(room, 3, 0, 100).lastChange()).isEqualTo(2);
    }

    @Test
    void aReplaySendsWhatChangedUpToTheClientsSeqOnceEachAsItIsNowAndNewMessagesAsTheyAreNow() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        for (String text : List.of("a", "b", "c")) {
            post(owner, room, text);
        }
        edit(owner, room, 1, "a1");               // change 1
        delete(owner, room, 2);                   // change 2
        edit(owner, room, 1, "a2");               // change 3: seq 1 again
        post(owner, room, "d");
        edit(owner, room, 4, "d1");               // change 4: after the client's seq

        Replay fromStart = replay(room, 3, 0, 100);
        assertThat(fromStart.complete()).isTrue();
        assertThat(fromStart.lastSeq()).isEqualTo(4);
        assertThat(fromStart.lastChange()).isEqualTo(4);
        assertThat(fromStart.messages()).extracting(MessageView::text).containsExactly("d1");
        // In change order, once each, as they are now, each with its latest change.
        assertThat(fromStart.changes()).extracting(c -> c.message().seq()).containsExactly(2L, 1L);
        assertThat(fromStart.changes()).extracting(MessageChanged::change).containsExactly(2L, 3L);
        assertThat(fromStart.changes().get(0).message().deleted()).isTrue();
        assertThat(fromStart.changes().get(1).message().text()).isEqualTo("a2");

        assertThat(replay(room, 3, 2, 100).changes()).extracting(c -> c.message().seq()).containsExactly(1L);
        assertThat(replay(room, 4, 4, 100).changes()).isEmpty();
        assertThat(replay(room, 4, 4, 100).messages()).isEmpty();
        Replay fromOne = replay(room, 1, 0, 100);
        assertThat(fromOne.messages()).extracting(MessageView::seq).containsExactly(2L, 3L, 4L);
        assertThat(fromOne.changes()).extracting(c -> c.message().seq()).containsExactly(1L);
        // Messages and changes count together against the limit.
        Replay tooMuch = replay(room, 3, 0, 2);
        assertThat(tooMuch.complete()).isFalse();
        assertThat(tooMuch.changes()).isEmpty();
        assertThat(tooMuch.lastChange()).isEqualTo(4);
    }

    @Test
    void pastTheEditWindowAMessageCanNoLongerBeEditedButCanStillBeDeleted() {
        var owner = TestHarness.user("owner");
        try (var strict = TestHarness.start(Map.of("BABBLE_MESSAGES_EDIT_WINDOW", "0s"), new RoomsService(),
                new MessagesService())) {
            RoomView room = strict.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "room"), owner).as(RoomView.class);
            strict.call("messages", "POST", "/api/v1/rooms/" + room.id() + "/messages", Map.of("text", "late"), owner);

            var reply = strict.call("messages", "PATCH", "/api/v1/rooms/" + room.id() + "/messages/1", Map.of("text", "later"), owner);
            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.json().get("detail").asText()).contains("edited");
            assertThat(strict.call("messages", "DELETE", "/api/v1/rooms/" + room.id() + "/messages/1", null, owner).status())
                    .isEqualTo(204);
        }
    }

    private static TestHarness.Reply react(Identity as, RoomView room, long seq, String emoji, boolean add) {
        return harness.call("messages", add ? "PUT" : "DELETE", "/api/v1/rooms/" + room.id() + "/messages/" + seq
                + "/reactions/" + emoji, null, as);
    }

    private static List<MessageView.Reaction> reactions(TestHarness.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.as(babble.contracts.api.ReactionList.class).reactions();
    }

    @Test
    void reactionsAreCountedPerEmojiFirstGivenFirstWithMeForTheReaderAndGivingTwiceChangesNothing() {
        var owner = TestHarness.user("owner");
        var other = TestHarness.user("other");
        var stranger = TestHarness.user("stranger");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, other);
        List<MessageReacted> published = new CopyOnWriteArrayList<>();
        harness.launcher().infrastructure().bus().listen("events.message.reacted." + room.id(),
                e -> published.add(e.dataAs(MessageReacted.class)));
        post(owner, room, "lunch?");

        assertThat(reactions(react(other, room, 1, "pizza", true))).containsExactly(new MessageView.Reaction("pizza", 1, true));
        assertThat(reactions(react(owner, room, 1, "thumbsup", true)))
                .containsExactly(new MessageView.Reaction("pizza", 1, false), new MessageView.Reaction("thumbsup", 1, true));
        assertThat(reactions(react(other, room, 1, "thumbsup", true)))
                .containsExactly(new MessageView.Reaction("pizza", 1, true), new MessageView.Reaction("thumbsup", 2, true));
        assertThat(reactions(react(other, room, 1, "thumbsup", true))) // again: the same, no second count
                .containsExactly(new MessageView.Reaction("pizza", 1, true), new MessageView.Reaction("thumbsup", 2, true));
        assertThat(reactions(react(other, room, 1, "pizza", false)))
                .containsExactly(new MessageView.Reaction("thumbsup", 2, true));
        assertThat(reactions(react(other, room, 1, "pizza", false))).hasSize(1); // taking back what is not given: nothing

        assertThat(history(owner, room).getFirst().reactions()).containsExactly(new MessageView.Reaction("thumbsup", 2, true));
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 4);
        assertThat(published).extracting(MessageReacted::change).containsExactly(1L, 2L, 3L, 4L);
        assertThat(published.getLast().added()).isFalse();
        assertThat(published.getLast().reactions()).containsExactly(new MessageView.Reaction("thumbsup", 2, null));
        // A client that resumes is sent the message with its counts now.
        var replay = replay(room, 1, 0, 100);
        assertThat(replay.changes()).hasSize(1);
        assertThat(replay.changes().getFirst().message().reactions()).containsExactly(new MessageView.Reaction("thumbsup", 2, null));

        assertThat(react(other, room, 1, "unicorn", true).status()).isEqualTo(422);
        assertThat(react(stranger, room, 1, "heart", true).status()).isEqualTo(403);
        assertThat(react(other, room, 2, "heart", true).status()).isEqualTo(404);
        delete(owner, room, 1);
        assertThat(react(other, room, 1, "heart", true).status()).isEqualTo(404);
        assertThat(history(owner, room).getFirst().reactions()).isEmpty(); // a tombstone has none
    }

    @Test
    void mentionsOfMembersAreStoredNotifiedOnceAndCountedUntilRead() {
        String suffix = Long.toString(System.nanoTime(), 36);
        var owner = TestHarness.user("owner" + suffix);
        var ann = TestHarness.user("ann" + suffix);
        var bob = TestHarness.user("bob." + suffix);
        var outsider = TestHarness.user("out" + suffix);
        RoomView room = room(owner);
        for (var member : List.of(ann, bob)) {
            harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, member);
        }
        List<MessageMentioned> published = new CopyOnWriteArrayList<>();
        harness.launcher().infrastructure().bus().listen("events.message.mentioned." + room.id(),
                e -> published.add(e.dataAs(MessageMentioned.class)));
        // The copy learns usernames from the join events: wait until it has both.
        await().atMost(Duration.ofSeconds(5)).until(() -> post(owner, room, "roll call @" + ann.username() + " @" + bob.username())
                .as(MessageView.class).mentions().size() == 2);

        // Any case, punctuation after, the author and strangers and e-mail addresses left out, each once.
        MessageView hello = post(owner, room, "Hi @" + ann.username().toUpperCase() + ", and @" + bob.username() + ". (cc @"
                + ann.username() + " @" + outsider.username() + " @" + owner.username() + " x@" + bob.username() + ")")
                .as(MessageView.class);
        assertThat(hello.mentions()).containsExactly(ann.userId(), bob.userId());
        assertThat(history(owner, room).getLast().mentions()).containsExactly(ann.userId(), bob.userId());
        assertThat(mentionEvents(published, hello.seq())).singleElement().satisfies(event -> {
            assertThat(event.userIds()).containsExactly(ann.userId(), bob.userId());
            assertThat(event.by().username()).isEqualTo(owner.username());
        });

        // An edit notifies only whom it newly names.
        edit(owner, room, hello.seq(), "Hi @" + ann.username() + " and @" + owner.username());
        assertThat(history(owner, room).getLast().mentions()).containsExactly(ann.userId());
        MessageView third = post(owner, room, "and @" + bob.username() + " again").as(MessageView.class);
        edit(owner, room, third.seq(), "and @" + bob.username() + " and @" + ann.username());
        assertThat(mentionEvents(published, third.seq())).extracting(MessageMentioned::userIds)
                .containsExactly(List.of(bob.userId()), List.of(ann.userId()));
        assertThat(mentionEvents(published, hello.seq())).hasSize(1); // the edit of hello named no one new

        // Unread mentions per room: after the read marker, gone with a deleted message.
        assertThat(states(ann, room).mentions()).isEqualTo(3); // the roll call, hello, the third
        harness.call("messages", "PUT", "/api/v1/rooms/" + room.id() + "/read", Map.of("seq", hello.seq()), ann);
        assertThat(states(ann, room).mentions()).isEqualTo(1);
        delete(owner, room, third.seq());
        assertThat(states(ann, room).mentions()).isZero();
        assertThat(states(bob, room).mentions()).isEqualTo(1); // the roll call; hello's edit took bob out
    }

    /** The mention events of one message, once the outbox relay has had time to publish them. */
    private static List<MessageMentioned> mentionEvents(List<MessageMentioned> published, long seq) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> published.stream().anyMatch(e -> e.seq() == seq));
        return published.stream().filter(e -> e.seq() == seq).toList();
    }

    private static ReadStates.ReadState states(Identity user, RoomView room) {
        return harness.call("messages", "POST", "/internal/read-states", new ReadStateQuery(List.of(room.id())), user)
                .as(ReadStates.class).rooms().get(room.id());
    }
}
