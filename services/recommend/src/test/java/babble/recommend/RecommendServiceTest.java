package babble.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.PostList;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import babble.follows.FollowsService;
import babble.moderation.ModerationService;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.posts.PostsService;
import babble.query.QueryService;
import babble.rooms.RoomsService;
import babble.tags.TagsService;
import babble.users.UsersService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recommend service fed by the events of real rooms, posts, moderation, follows (with users) and tags
 * services, its pages read from a real query service: topic listings in each order, the feed's sources, and no
 * post twice across the pages of a reading. A feed snapshot here ranks 10 posts, so readings cross snapshots.
 */
class RecommendServiceTest {
    static TestHarness harness;
    static final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(Map.of("BABBLE_RECOMMEND_FEED_DEPTH", "10"), new UsersService(), new RoomsService(),
                new PostsService(), new ModerationService(), new QueryService(), new FollowsService(), new TagsService(),
                new RecommendService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    // ---- the other services, through their APIs ----

    /** A registered user (the follows service knows only those). */
    private static Identity user(String name) {
        var reply = harness.call("users", "POST", "/api/v1/users",
                Map.of("username", name + "-" + names.incrementAndGet(), "password", "pass-word-1"), Identity.ofService("gateway"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        UserView user = reply.as(UserView.class);
        return Identity.ofUser("gateway", user.id(), user.username(), user.displayName());
    }

    private static RoomView room(Identity owner, Identity... members) {
        RoomView room = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "board"), owner).as(RoomView.class);
        for (Identity member : members) {
            join(member, room);
        }
        return room;
    }

    private static void join(Identity user, RoomView room) {
        assertThat(harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, user).status()).isEqualTo(200);
    }

    private static PostView post(Identity as, RoomView room, String title, String... tags) {
        var reply = harness.call("posts", "POST", "/api/v1/rooms/" + room.id() + "/posts",
                Map.of("title", title, "tags", List.of(tags)), as);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(PostView.class);
    }

    private static void vote(PostView post, int value, Identity... voters) {
        for (Identity voter : voters) {
            var reply = harness.call("posts", "PUT", "/api/v1/posts/" + post.id() + "/vote", Map.of("value", value), voter);
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        }
    }

    private static void topics(Identity as, List<String> follow, List<String> mute) {
        var reply = harness.call("tags", "PUT", "/api/v1/users/me/topics", Map.of("follow", follow, "mute", mute), as);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    }

    private static String tag(String word) {
        return word + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void eventually(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    // ---- the recommend service ----

    private static TestHarness.Reply get(Identity as, String path) {
        return harness.call("recommend", "GET", "/api/v1" + path, null, as);
    }

    private static PostList page(Identity as, String path) {
        var reply = get(as, path);
        assertThat(reply.status()).as(path + ": " + reply.text()).isEqualTo(200);
        return reply.as(PostList.class);
    }

    /** Every post id of a topic in one order, {@code size} to a page. */
    private static List<UUID> topic(Identity as, String tag, String sort, int size) {
        return all(as, "/topics/" + tag + "/posts?sort=" + sort + "&limit=" + size, null);
    }

    /** The ids of a whole reading of the feed from {@code cursor} (null: a new reading), {@code size} to a page. */
    private static List<UUID> feed(Identity as, int size, String cursor) {
        return all(as, "/feed?limit=" + size, cursor);
    }

    private static List<UUID> all(Identity as, String path, String cursor) {
        List<UUID> ids = new ArrayList<>();
        do {
            var page = page(as, path + (cursor == null ? "" : "&cursor=" + cursor));
            page.posts().forEach(p -> ids.add(p.id()));
            cursor = page.next();
        } while (cursor != null);
        return ids;
    }

    private static UUID[] ids(PostView... posts) {
        return java.util.Arrays.stream(posts).map(PostView::id).toArray(UUID[]::new);
    }

    // ---- topic listings ----

    @Test
    void aTopicListsItsApprovedPostsByHotNewAndTopAndHotFollowsTheVotes() {
        var owner = TestHarness.user("owner");
        var fans = IntStream.range(0, 4).mapToObj(i -> TestHarness.user("fan" + i)).toArray(Identity[]::new);
        String tag = tag("rank");
        RoomView room = room(owner, fans);
        PostView a = post(owner, room, "a", tag);
        PostView b = post(owner, room, "b", tag, "other");
        PostView c = post(owner, room, "c", tag);
        PostView d = post(owner, room, "d", tag);
        PostView rejected = post(owner, room, "an orange", tag);
        PostView deleted = post(owner, room, "soon gone", tag);
        vote(a, 1, fans[0], fans[1], fans[2]);
        vote(d, 1, fans[0], fans[1]);
        vote(b, 1, fans[0]);
        eventually(() -> topic(owner, tag, "top", 3).contains(deleted.id()));
        assertThat(harness.call("posts", "DELETE", "/api/v1/posts/" + deleted.id(), null, owner).status()).isEqualTo(204);

        eventually(() -> topic(owner, tag, "top", 3).equals(List.of(ids(a, d, b, c))));
        // Scores 3, 2, 1, 0: hot ranks by the order of magnitude (1 and 0 alike), then by newness.
        assertThat(topic(owner, tag, "hot", 3)).containsExactly(ids(a, d, c, b));
        assertThat(topic(owner, tag, "new", 3)).containsExactly(ids(d, c, b, a));
        assertThat(topic(fans[3], tag, "hot", 100)).containsExactly(ids(a, d, c, b));
        assertThat(topic(owner, "other", "new", 100)).contains(b.id()).doesNotContain(a.id());

        vote(c, 1, fans);
        eventually(() -> topic(owner, tag, "hot", 3).equals(List.of(ids(c, a, d, b))));
        assertThat(topic(owner, tag, "top", 2)).containsExactly(ids(c, a, d, b));
        assertThat(topic(owner, tag, "new", 2)).containsExactly(ids(d, c, b, a));
        var first = page(owner, "/topics/" + tag.toUpperCase() + "/posts?sort=top&limit=1").posts().getFirst();
        assertThat(first.id()).isEqualTo(c.id());
        assertThat(first.score()).isEqualTo(4);
        assertThat(first.title()).isEqualTo("c");
        assertThat(topic(owner, tag, "new", 100)).doesNotContain(rejected.id(), deleted.id());
    }

    @Test
    void badTopicRequestsAre422AndAnUnknownTopicIsEmpty() {
        var reader = TestHarness.user("reader");
        String hotCursor = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("hot|1.5|" + UUID.randomUUID()).getBytes());
        var bad = new HashMap<String, String>();
        bad.put("/topics/not%20a%20tag/posts", "tag");
        bad.put("/topics/-dash/posts", "tag");
        bad.put("/topics/" + "x".repeat(33) + "/posts", "tag");
        bad.put("/topics/fine/posts?sort=best", "sort");
        bad.put("/topics/fine/posts?limit=0", "limit");
        bad.put("/topics/fine/posts?limit=101", "limit");
        bad.put("/topics/fine/posts?cursor=made-up", "cursor");
        bad.put("/topics/fine/posts?sort=new&cursor=" + hotCursor, "cursor");
        bad.put("/feed?limit=101", "limit");
        bad.put("/feed?cursor=" + hotCursor, "cursor");
        bad.forEach((path, field) -> {
            var reply = get(reader, path);
            assertThat(reply.status()).as(path + ": " + reply.text()).isEqualTo(422);
            assertThat(reply.invalidField()).as(path).isEqualTo(field);
        });

        var empty = page(reader, "/topics/" + tag("nobody") + "/posts?cursor=" + hotCursor);
        assertThat(empty.posts()).isEmpty();
        assertThat(empty.next()).isNull();
        assertThat(get(Identity.ofService("gateway"), "/feed").status()).isEqualTo(401);
    }

    // ---- the feed ----

    @Test
    void theFeedHoldsFollowedTopicsFollowedPeopleAndJoinedRoomsWithoutMutedTopics() {
        var reader = user("reader");
        var writer = user("writer");
        var stranger = user("stranger");
        String followed = tag("liked");
        String muted = tag("muted");
        assertThat(page(reader, "/feed").posts()).isEmpty();
        assertThat(page(reader, "/feed").next()).isNull();
        topics(reader, List.of(followed), List.of(muted));
        assertThat(harness.call("follows", "POST", "/api/v1/users/me/follow/" + writer.userId(), null, reader).status())
                .isEqualTo(204);
        RoomView joined = room(stranger, reader);
        RoomView elsewhere = room(stranger, writer);

        PostView byTopic = post(stranger, elsewhere, "by topic", followed);
        post(stranger, elsewhere, "followed but muted", followed, muted);
        PostView byPerson = post(writer, elsewhere, "by a followed person");
        post(writer, elsewhere, "by a followed person, muted", muted);
        PostView inRoom = post(stranger, joined, "in a joined room");
        post(stranger, joined, "in a joined room, muted", muted);
        post(stranger, joined, "in a joined room, an orange");
        post(stranger, elsewhere, "nothing to do with the reader", tag("unrelated"));

        // All score 0: newest first. Muted and unrelated posts never come, so the feed settles on exactly these.
        eventually(() -> feed(reader, 2, null).equals(List.of(ids(inRoom, byPerson, byTopic))));
        assertThat(page(reader, "/feed").posts().getFirst().title()).isEqualTo("in a joined room");

        assertThat(harness.call("rooms", "DELETE", "/api/v1/rooms/" + joined.id() + "/members/me", null, reader).status())
                .isEqualTo(204);
        harness.call("follows", "DELETE", "/api/v1/users/me/follow/" + writer.userId(), null, reader);
        eventually(() -> feed(reader, 2, null).equals(List.of(ids(byTopic))));
        topics(reader, List.of(), List.of());
        eventually(() -> feed(reader, 2, null).isEmpty());
    }

    @Test
    void noPostIsShownTwiceAcrossPagesWhileVotesMovePosts() {
        var owner = TestHarness.user("owner");
        var reader = TestHarness.user("reader");
        var fans = new Identity[] {TestHarness.user("fan1"), TestHarness.user("fan2")};
        RoomView room = room(owner, reader, fans[0], fans[1]);
        List<PostView> posts = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            posts.add(post(owner, room, "post " + i));
        }
        UUID[] newestFirst = posts.reversed().stream().map(PostView::id).toArray(UUID[]::new);
        eventually(() -> feed(reader, 100, null).size() == 14);
        assertThat(feed(reader, 5, null)).containsExactly(newestFirst);

        var first = page(reader, "/feed?limit=4");
        assertThat(first.posts()).extracting(PostView::id).containsExactly(java.util.Arrays.copyOfRange(newestFirst, 0, 4));
        // Votes now sink the four shown posts to the bottom and lift two the reading has not reached yet.
        posts.subList(10, 14).forEach(p -> vote(p, -1, owner, fans[0]));
        posts.subList(4, 6).forEach(p -> vote(p, 1, fans));
        eventually(() -> feed(reader, 4, null).subList(0, 2).equals(List.of(ids(posts.get(5), posts.get(4))))
                && feed(reader, 100, null).subList(10, 14).containsAll(List.of(java.util.Arrays.copyOfRange(newestFirst, 0, 4))));

        var reading = new ArrayList<UUID>();
        first.posts().forEach(p -> reading.add(p.id()));
        reading.addAll(feed(reader, 4, first.next()));
        assertThat(reading).doesNotHaveDuplicates().containsExactly(newestFirst);
    }

    @Test
    void aReadingGoesOnBelowItsLastPostWhenItsSnapshotIsGone() throws Exception {
        var owner = TestHarness.user("owner");
        var reader = TestHarness.user("reader");
        RoomView room = room(owner, reader);
        List<PostView> posts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            posts.add(post(owner, room, "post " + i));
        }
        UUID[] newestFirst = posts.reversed().stream().map(PostView::id).toArray(UUID[]::new);
        eventually(() -> feed(reader, 100, null).size() == 6);
        var first = page(reader, "/feed?limit=2");

        harness.launcher().stopService("recommend");
        harness.launcher().startService(new RecommendService());
        assertThat(harness.launcher().awaitReady(Duration.ofSeconds(30))).isTrue();

        var reading = new ArrayList<UUID>();
        first.posts().forEach(p -> reading.add(p.id()));
        reading.addAll(feed(reader, 2, first.next()));
        assertThat(reading).containsExactly(newestFirst);
        // Another reader's cursor only says where to go on from, in the caller's own feed.
        var stranger = TestHarness.user("stranger");
        assertThat(page(stranger, "/feed?cursor=" + first.next()).posts()).isEmpty();
    }
}
