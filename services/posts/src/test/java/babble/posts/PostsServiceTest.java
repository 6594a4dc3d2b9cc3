package babble.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.contracts.api.VoteResult;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.contracts.events.PostVoted;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.rooms.RoomsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The posts service on its real store, next to a real rooms service (who may write, who owns a room). */
class PostsServiceTest {
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService(), new PostsService());
        harness.launcher().infrastructure().bus().consume("test-posts", "events.post.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "community"), owner).as(RoomView.class);
    }

    private static void join(Identity user, RoomView room) {
        assertThat(harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, user).status()).isEqualTo(200);
    }

    private static TestHarness.Reply post(Identity as, Object roomId, Object body, String key) {
        return harness.call("posts", "POST", "/api/v1/rooms/" + roomId + "/posts", body, as,
                key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static PostView created(Identity as, RoomView room, String title) {
        var reply = post(as, room.id(), Map.of("title", title), null);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(PostView.class);
    }

    private static TestHarness.Reply vote(Identity as, PostView post, Object value) {
        return harness.call("posts", "PUT", "/api/v1/posts/" + post.id() + "/vote", Map.of("value", value), as);
    }

    @Test
    void aMemberPostsAPendingPostWithNormalizedFieldsAndItIsAnnounced() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);

        var reply = post(owner, room.id(), Map.of("title", "  Hello  ", "body", "text", "url", "https://example.org/a",
                "tags", List.of("Java", "java", "web-dev")), null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        PostView post = reply.as(PostView.class);
        assertThat(post.title()).isEqualTo("Hello");
        assertThat(post.tags()).containsExactly("java", "web-dev");
        assertThat(post.status()).isEqualTo("pending");
        assertThat(post.score()).isZero();
        assertThat(post.author().id()).isEqualTo(owner.userId());
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.type().equals(PostCreated.TYPE)
                && e.dataAs(PostCreated.class).post().id().equals(post.id())));
    }

    @Test
    void badPostsAreRefusedNamingTheField() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);

        assertThat(post(owner, room.id(), Map.of("title", " "), null).invalidField()).isEqualTo("title");
        assertThat(post(owner, room.id(), Map.of("title", "x".repeat(301)), null).invalidField()).isEqualTo("title");
        assertThat(post(owner, room.id(), Map.of("title", "t", "url", "javascript:alert(1)"), null).invalidField()).isEqualTo("url");
        assertThat(post(owner, room.id(), Map.of("title", "t", "url", "ftp://example.org"), null).invalidField()).isEqualTo("url");
        assertThat(post(owner, room.id(), Map.of("title", "t", "tags", List.of("-bad")), null).invalidField()).isEqualTo("tags");
        assertThat(post(owner, room.id(), Map.of("title", "t", "tags", List.of("a", "b", "c", "d", "e", "f")), null)
                .invalidField()).isEqualTo("tags");
        assertThat(post(owner, room.id(), Map.of("title", "t", "body", "x".repeat(40_001)), null).invalidField()).isEqualTo("body");
        assertThat(post(owner, room.id(), Map.of("title", "t"), "bad key").invalidField()).isEqualTo("Idempotency-Key");
    }

    @Test
    void onlyMembersOfAnExistingRoomWrite() {
        var owner = TestHarness.user("owner");
        var outsider = TestHarness.user("outsider");
        RoomView room = room(owner);
        PostView post = created(owner, room, "mine");

        assertThat(post(outsider, room.id(), Map.of("title", "t"), null).status()).isEqualTo(403);
        assertThat(post(outsider, UUID.randomUUID(), Map.of("title", "t"), null).status()).isEqualTo(404);
        assertThat(vote(outsider, post, 1).status()).isEqualTo(403);
        assertThat(harness.call("posts", "POST", "/api/v1/posts/" + post.id() + "/comments", Map.of("text", "hi"), outsider)
                .status()).isEqualTo(403);
        join(outsider, room);
        assertThat(vote(outsider, post, 1).status()).isEqualTo(200);
    }

    @Test
    void retriesWithOneIdempotencyKeyMakeOnePostEvenWhenTheyRace() throws Exception {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        List<Future<TestHarness.Reply>> replies = new ArrayList<>();

        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                replies.add(pool.submit(() -> post(owner, room.id(), Map.of("title", "once"), "key-1")));
            }
        }

        var ids = new HashSet<UUID>();
        for (var reply : replies) {
            assertThat(reply.get().status()).as(reply.get().text()).isEqualTo(201);
            ids.add(reply.get().as(PostView.class).id());
        }
        assertThat(ids).hasSize(1);
        assertThat(post(owner, room.id(), Map.of("title", "something else"), "key-1").status()).isEqualTo(409);
    }

    @Test
    void aVoteCountsOncePerUserAndCanBeChangedOrWithdrawn() {
        var owner = TestHarness.user("owner");
        var fan = TestHarness.user("fan");
        RoomView room = room(owner);
        join(fan, room);
        PostView post = created(owner, room, "vote on me");

        assertThat(vote(owner, post, 1).as(VoteResult.class)).isEqualTo(new VoteResult(1, 1));
        assertThat(vote(owner, post, 1).as(VoteResult.class)).isEqualTo(new VoteResult(1, 1));
        assertThat(vote(fan, post, 1).as(VoteResult.class)).isEqualTo(new VoteResult(2, 1));
        assertThat(vote(fan, post, -1).as(VoteResult.class)).isEqualTo(new VoteResult(0, -1));
        assertThat(vote(owner, post, 0).as(VoteResult.class)).isEqualTo(new VoteResult(-1, 0));
        assertThat(vote(owner, post, 2).invalidField()).isEqualTo("value");
        assertThat(vote(owner, post, "up").invalidField()).isEqualTo("value");

        await().atMost(Duration.ofSeconds(5)).until(() -> votesOf(post).size() == 4); // the repeated +1 changed nothing
        var last = votesOf(post).getLast();
        assertThat(last.score()).isEqualTo(-1);
        assertThat(votesOf(post).stream().map(PostVoted::version).toList()).isSorted().doesNotHaveDuplicates();
    }

    private static List<PostVoted> votesOf(PostView post) {
        return events.stream().filter(e -> e.type().equals(PostVoted.TYPE)).map(e -> e.dataAs(PostVoted.class))
                .filter(v -> v.postId().equals(post.id())).toList();
    }

    @Test
    void repliesNameACommentOfTheSamePost() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        PostView first = created(owner, room, "first");
        PostView second = created(owner, room, "second");
        String comments = "/api/v1/posts/" + first.id() + "/comments";

        var top = harness.call("posts", "POST", comments, Map.of("text", "top"), owner).as(CommentView.class);
        var reply = harness.call("posts", "POST", comments, Map.of("text", "reply", "parentId", top.id().toString()), owner);
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.as(CommentView.class).parentId()).isEqualTo(top.id());
        assertThat(harness.call("posts", "POST", "/api/v1/posts/" + second.id() + "/comments",
                Map.of("text", "x", "parentId", top.id().toString()), owner).invalidField()).isEqualTo("parentId");
        assertThat(harness.call("posts", "POST", comments, Map.of("text", "x", "parentId", "nope"), owner).invalidField())
                .isEqualTo("parentId");
        assertThat(harness.call("posts", "POST", comments, Map.of("text", ""), owner).invalidField()).isEqualTo("text");
        var keyed = Map.of("Idempotency-Key", "c-1");
        var once = harness.call("posts", "POST", comments, Map.of("text", "once"), owner, keyed).as(CommentView.class);
        assertThat(harness.call("posts", "POST", comments, Map.of("text", "once"), owner, keyed).as(CommentView.class).id())
                .isEqualTo(once.id());
        assertThat(harness.call("posts", "POST", comments, Map.of("text", "twice"), owner, keyed).status()).isEqualTo(409);
    }

    @Test
    void theAuthorOrTheOwnerDeletesAPostOnce() {
        var owner = TestHarness.user("owner");
        var author = TestHarness.user("author");
        var other = TestHarness.user("other");
        RoomView room = room(owner);
        join(author, room);
        join(other, room);
        PostView byAuthor = created(author, room, "by author");
        PostView another = created(author, room, "another");

        assertThat(harness.call("posts", "DELETE", "/api/v1/posts/" + byAuthor.id(), null, other).status()).isEqualTo(403);
        assertThat(harness.call("posts", "DELETE", "/api/v1/posts/" + byAuthor.id(), null, author).status()).isEqualTo(204);
        assertThat(harness.call("posts", "DELETE", "/api/v1/posts/" + byAuthor.id(), null, author).status()).isEqualTo(404);
        assertThat(vote(author, byAuthor, 1).status()).isEqualTo(404);
        assertThat(harness.call("posts", "DELETE", "/api/v1/posts/" + another.id(), null, owner).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(e -> e.type().equals(PostDeleted.TYPE))
                .map(e -> e.dataAs(PostDeleted.class).postId()).filter(id -> id.equals(byAuthor.id()) || id.equals(another.id()))
                .count() == 2);
    }

    @Test
    void aPrivateRoomHasChatOnlySoNothingOfItReachesThosePostsAreReadBy() {
        var owner = TestHarness.user("private-owner");
        RoomView room = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "private", "visibility", "private"),
                owner).as(RoomView.class);

        var reply = post(owner, room.id(), Map.of("title", "would be read by anyone signed in"), null);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.invalidField()).isEqualTo("room");
    }
}
