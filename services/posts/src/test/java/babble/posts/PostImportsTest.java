package babble.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.contracts.api.VoteResult;
import babble.contracts.events.PostCreated;
import babble.contracts.internal.ImportedPost;
import babble.contracts.internal.PostImport;
import babble.contracts.internal.PostImportResult;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.rooms.RoomsService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /internal/rooms/{id}/posts/import} on the real store beside a real rooms service: the owner's batches
 * of approved posts, made once per room by key, counted exactly when a batch is sent again.
 */
class PostImportsTest {
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static final Instant CREATED = Instant.parse("2014-03-07T12:30:15.250Z");

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService(), new PostsService());
        harness.launcher().infrastructure().bus().consume("test-imports", "events.post.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "imported"), owner).as(RoomView.class);
    }

    private static ImportedPost post(String key, String title) {
        return new ImportedPost(key, title, "body of " + title, "https://example.org/" + key, List.of("askscience"), 42,
                CREATED, "u/" + key + "_author");
    }

    private static TestHarness.Reply send(Identity as, UUID roomId, Object batch) {
        return harness.call("posts", "POST", "/internal/rooms/" + roomId + "/posts/import", batch, as);
    }

    private static PostImportResult imported(Identity as, UUID roomId, UUID importId, List<ImportedPost> posts) {
        var reply = send(as, roomId, new PostImport(importId, posts));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.as(PostImportResult.class);
    }

    /** The posts announced for the room, by title (awaiting {@code count} of them). */
    private static Map<String, PostView> announced(UUID roomId, int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> created(roomId).size() >= count);
        var byTitle = new HashMap<String, PostView>();
        created(roomId).forEach(p -> byTitle.put(p.title(), p));
        return byTitle;
    }

    private static List<PostView> created(UUID roomId) {
        return events.stream().filter(e -> e.type().equals(PostCreated.TYPE))
                .map(e -> e.dataAs(PostCreated.class).post()).filter(p -> p.roomId().equals(roomId)).toList();
    }

    @Test
    void theOwnersBatchBecomesApprovedPostsWithTheirOwnTimeScoreAndAuthorNameEachAnnouncedOnce() {
        var owner = TestHarness.user("importer");
        RoomView room = room(owner);

        var result = imported(owner, room.id(), UUID.randomUUID(),
                List.of(post("t3_a", "First"), post("t3_b", "Second"), post("t3_c", "Third")));

        assertThat(result).isEqualTo(new PostImportResult(3, 0));
        Map<String, PostView> posts = announced(room.id(), 3);
        assertThat(posts).containsOnlyKeys("First", "Second", "Third");
        PostView first = posts.get("First");
        assertThat(first.status()).isEqualTo("approved");
        assertThat(first.score()).isEqualTo(42);
        assertThat(first.createdAt()).isEqualTo(CREATED);
        assertThat(first.author().id()).isEqualTo(owner.userId());
        assertThat(first.author().username()).isEqualTo("importer");
        assertThat(first.author().displayName()).isEqualTo("u/t3_a_author");
        assertThat(first.body()).isEqualTo("body of First");
        assertThat(first.url()).isEqualTo("https://example.org/t3_a");
        assertThat(first.tags()).containsExactly("askscience");
    }

    @Test
    void aBatchSentAgainCountsItsPostsAsCreatedWhileAnotherImportFindsThemExisting() {
        var owner = TestHarness.user("resender");
        RoomView room = room(owner);
        UUID batchId = UUID.randomUUID();
        var batch = List.of(post("t3_1", "One"), post("t3_2", "Two"));
        imported(owner, room.id(), batchId, batch);
        announced(room.id(), 2);

        var resent = imported(owner, room.id(), batchId, batch);
        var another = imported(owner, room.id(), UUID.randomUUID(), List.of(post("t3_2", "Two"), post("t3_3", "Three")));
        var repeated = imported(owner, room.id(), UUID.randomUUID(), List.of(post("t3_4", "Four"), post("t3_4", "Four")));

        assertThat(resent).as("the same batch again (its worker died)").isEqualTo(new PostImportResult(2, 0));
        assertThat(another).as("another import of one known post").isEqualTo(new PostImportResult(1, 1));
        assertThat(repeated).as("a key twice in a batch").isEqualTo(new PostImportResult(1, 1));
        announced(room.id(), 4);
        assertThat(created(room.id())).extracting(PostView::title).containsExactlyInAnyOrder("One", "Two", "Three", "Four");
    }

    @Test
    void theSameKeyInAnotherRoomIsAnotherPost() {
        var owner = TestHarness.user("twice");
        RoomView one = room(owner);
        RoomView two = room(owner);

        assertThat(imported(owner, one.id(), UUID.randomUUID(), List.of(post("t3_x", "X")))).isEqualTo(new PostImportResult(1, 0));
        assertThat(imported(owner, two.id(), UUID.randomUUID(), List.of(post("t3_x", "X")))).isEqualTo(new PostImportResult(1, 0));
    }

    @Test
    void onlyTheOwnerOfAnExistingRoomImports() {
        var owner = TestHarness.user("owner");
        var member = TestHarness.user("member");
        var stranger = TestHarness.user("stranger");
        RoomView room = room(owner);
        assertThat(harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, member).status())
                .isEqualTo(200);
        var batch = new PostImport(UUID.randomUUID(), List.of(post("t3_m", "Mine")));

        assertThat(send(member, room.id(), batch).status()).isEqualTo(403);
        assertThat(send(stranger, room.id(), batch).status()).isEqualTo(403);
        assertThat(send(owner, UUID.randomUUID(), batch).status()).isEqualTo(404);
        assertThat(created(room.id())).isEmpty();
    }

    @Test
    void aBadPostRefusesTheWholeBatchNamingThePost() {
        var owner = TestHarness.user("careless");
        RoomView room = room(owner);
        var good = post("t3_good", "Good");

        assertThat(refused(owner, room, good, post("t3_bad", " "))).isEqualTo("posts[1].title");
        assertThat(refused(owner, room, good, post("t3_bad", "x".repeat(301)))).isEqualTo("posts[1].title");
        assertThat(refused(owner, room, good, new ImportedPost("t3_bad", "t", "x".repeat(40_001), null, List.of(), 0,
                CREATED, "u/a"))).isEqualTo("posts[1].body");
        assertThat(refused(owner, room, good, new ImportedPost("t3_bad", "t", null, "javascript:alert(1)", List.of(), 0,
                CREATED, "u/a"))).isEqualTo("posts[1].url");
        assertThat(refused(owner, room, good, new ImportedPost("t3_bad", "t", null, null, List.of("-no"), 0,
                CREATED, "u/a"))).isEqualTo("posts[1].tags");
        assertThat(refused(owner, room, good, new ImportedPost("t3 bad", "t", null, null, List.of(), 0, CREATED, "u/a")))
                .isEqualTo("posts[1].key");
        assertThat(refused(owner, room, good, new ImportedPost("t3_bad", "t", null, null, List.of(), 0, null, "u/a")))
                .isEqualTo("posts[1].createdAt");
        assertThat(refused(owner, room, good, new ImportedPost("t3_bad", "t", null, null, List.of(), 0, CREATED, " ")))
                .isEqualTo("posts[1].authorName");
        assertThat(send(owner, room.id(), new PostImport(null, List.of(good))).invalidField()).isEqualTo("importId");
        assertThat(send(owner, room.id(), new PostImport(UUID.randomUUID(), List.of())).invalidField()).isEqualTo("posts");
        var tooMany = IntStream.range(0, PostImport.MAX_POSTS + 1).mapToObj(i -> post("t3_" + i, "p" + i)).toList();
        assertThat(send(owner, room.id(), new PostImport(UUID.randomUUID(), tooMany)).invalidField()).isEqualTo("posts");
        assertThat(send(owner, room.id(), "{\"importId\": ").status()).isEqualTo(400);

        assertThat(imported(owner, room.id(), UUID.randomUUID(), List.of(good))).as("nothing was written before")
                .isEqualTo(new PostImportResult(1, 0));
    }

    private static String refused(Identity owner, RoomView room, ImportedPost good, ImportedPost bad) {
        var reply = send(owner, room.id(), new PostImport(UUID.randomUUID(), List.of(good, bad)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(422);
        return reply.invalidField();
    }

    @Test
    void aBatchOfSomeMegabytesIsTakenWhileOtherBodiesKeepTheServersLimit() {
        var owner = TestHarness.user("bulk");
        RoomView room = room(owner);
        var posts = new ArrayList<ImportedPost>();
        for (int i = 0; i < 500; i++) {
            posts.add(new ImportedPost("t3_bulk" + i, "Bulk " + i, "word ".repeat(1_000), null, List.of(), i, CREATED, "u/bulk"));
        }
        var huge = new ArrayList<ImportedPost>();
        for (int i = 0; i < 300; i++) {
            huge.add(new ImportedPost("t3_huge" + i, "Huge " + i, "y".repeat(39_000), null, List.of(), 0, CREATED, "u/huge"));
        }

        assertThat(imported(owner, room.id(), UUID.randomUUID(), posts)).isEqualTo(new PostImportResult(500, 0));
        assertThat(send(owner, room.id(), new PostImport(UUID.randomUUID(), huge)).status()).as("over 8 MiB").isEqualTo(413);
        var ordinary = harness.call("posts", "POST", "/api/v1/rooms/" + room.id() + "/posts",
                Map.of("title", "t", "body", "z".repeat(70_000)), owner);
        assertThat(ordinary.status()).as("a normal post keeps the 64 KiB limit").isEqualTo(413);
    }

    @Test
    void votesOnAnImportedPostGoOnFromItsScore() {
        var owner = TestHarness.user("voter");
        RoomView room = room(owner);
        imported(owner, room.id(), UUID.randomUUID(), List.of(post("t3_v", "Voted")));
        PostView post = announced(room.id(), 1).get("Voted");

        var up = harness.call("posts", "PUT", "/api/v1/posts/" + post.id() + "/vote", Map.of("value", 1), owner);
        var down = harness.call("posts", "PUT", "/api/v1/posts/" + post.id() + "/vote", Map.of("value", -1), owner);

        assertThat(up.as(VoteResult.class).score()).isEqualTo(43);
        assertThat(down.as(VoteResult.class).score()).isEqualTo(41);
    }
}
