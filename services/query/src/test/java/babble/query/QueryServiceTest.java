package babble.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.moderation.ModerationService;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.posts.PostsService;
import babble.rooms.RoomsService;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query service's read model, built from the events of real rooms, posts and moderation services: what each
 * reader sees, in which order, and the same answers after its store is deleted and rebuilt by replay.
 */
class QueryServiceTest {
    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService(), new PostsService(), new ModerationService(), new QueryService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "readers"), owner).as(RoomView.class);
    }

    private static void join(Identity user, RoomView room) {
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, user);
    }

    private static PostView post(Identity as, RoomView room, String title) {
        var reply = harness.call("posts", "POST", "/api/v1/rooms/" + room.id() + "/posts", Map.of("title", title), as);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(PostView.class);
    }

    private static CommentView comment(Identity as, PostView post, String text) {
        return harness.call("posts", "POST", "/api/v1/posts/" + post.id() + "/comments", Map.of("text", text), as)
                .as(CommentView.class);
    }

    private static void vote(Identity as, PostView post, int value) {
        assertThat(harness.call("posts", "PUT", "/api/v1/posts/" + post.id() + "/vote", Map.of("value", value), as).status())
                .isEqualTo(200);
    }

    private static JsonNode read(Identity as, String path) {
        var reply = harness.call("query", "GET", "/api/v1" + path, null, as);
        assertThat(reply.status()).as(path + ": " + reply.text()).isEqualTo(200);
        return reply.json();
    }

    private static int status(Identity as, String path) {
        return harness.call("query", "GET", "/api/v1" + path, null, as).status();
    }

    private static void eventually(Supplier<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(condition::get);
    }

    @Test
    void othersSeeApprovedItemsAndAuthorsAlsoSeeTheirOwnWithTheReason() {
        var owner = TestHarness.user("owner");
        var author = TestHarness.user("author");
        var reader = TestHarness.user("reader");
        RoomView room = room(owner);
        join(author, room);
        PostView fine = post(author, room, "pears");
        PostView blocked = post(author, room, "oranges? no: orange");
        String list = "/rooms/" + room.id() + "/posts?sort=new";

        eventually(() -> read(author, list).get("posts").size() == 2
                && read(author, "/posts/" + blocked.id()).get("status").asText().equals("rejected"));
        assertThat(read(author, "/posts/" + blocked.id()).get("reason").asText()).isEqualTo("blocked word: orange");
        eventually(() -> read(reader, list).get("posts").size() == 1);
        assertThat(read(reader, list).get("posts").get(0).get("id").asText()).isEqualTo(fine.id().toString());
        assertThat(status(reader, "/posts/" + blocked.id())).isEqualTo(404);
        assertThat(status(reader, "/posts/" + blocked.id() + "/comments")).isEqualTo(404);
        assertThat(status(reader, "/rooms/" + UUID.randomUUID() + "/posts")).isEqualTo(404);
        assertThat(harness.call("query", "GET", "/api/v1" + list + "&cursor=made-up", null, reader).invalidField())
                .isEqualTo("cursor");
        assertThat(harness.call("query", "GET", "/api/v1/rooms/" + room.id() + "/posts?sort=best", null, reader)
                .invalidField()).isEqualTo("sort");
    }

    @Test
    void postsPageInEachOrderWithoutRepeatsAndScoresFollowVotes() {
        var owner = TestHarness.user("owner");
        var fans = List.of(TestHarness.user("f1"), TestHarness.user("f2"), TestHarness.user("f3"));
        RoomView room = room(owner);
        fans.forEach(f -> join(f, room));
        List<PostView> posts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            posts.add(post(owner, room, "post " + i));
        }
        for (int i = 0; i < fans.size(); i++) { // post 1 gets 3 votes, post 2 gets 2, post 3 one; post 0 gets -1
            for (int j = 1; j <= fans.size() - i; j++) {
                vote(fans.get(i), posts.get(j), 1);
            }
        }
        vote(owner, posts.get(0), -1);
        eventually(() -> read(fans.get(0), "/posts/" + posts.get(1).id()).get("score").asLong() == 3
                && read(owner, "/posts/" + posts.get(0).id()).get("score").asLong() == -1
                && read(owner, "/rooms/" + room.id() + "/posts?limit=100").get("posts").size() == 7);

        assertThat(ids(owner, room, "top")).containsExactly(posts.get(1).id(), posts.get(2).id(), posts.get(3).id(),
                posts.get(6).id(), posts.get(5).id(), posts.get(4).id(), posts.get(0).id());
        assertThat(ids(owner, room, "new")).containsExactly(posts.reversed().stream().map(PostView::id).toArray(UUID[]::new));
        List<UUID> hot = ids(owner, room, "hot");
        assertThat(hot).hasSize(7).doesNotHaveDuplicates();
        assertThat(hot.getFirst()).isEqualTo(posts.get(1).id());
        assertThat(hot.getLast()).isEqualTo(posts.get(0).id());
        var mine = read(fans.get(0), "/posts/" + posts.get(1).id());
        assertThat(mine.get("myVote").asInt()).isEqualTo(1);
        assertThat(read(owner, "/posts/" + posts.get(1).id()).get("myVote").asInt()).isZero();
    }

    /** Every post id of a room in one order, read three to a page. */
    private static List<UUID> ids(Identity as, RoomView room, String sort) {
        List<UUID> ids = new ArrayList<>();
        String cursor = null;
        do {
            var page = read(as, "/rooms/" + room.id() + "/posts?sort=" + sort + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("posts").forEach(p -> ids.add(UUID.fromString(p.get("id").asText())));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        return ids;
    }

    @Test
    void theCommentCountCountsApprovedCommentsAndFollowsTheOwnersDecisions() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        PostView post = post(owner, room, "count my comments");
        CommentView first = comment(owner, post, "first");
        comment(owner, post, "an orange one");
        CommentView reply = harness.call("posts", "POST", "/api/v1/posts/" + post.id() + "/comments",
                Map.of("text", "a reply", "parentId", first.id().toString()), owner).as(CommentView.class);
        var reader = TestHarness.user("reader");

        eventually(() -> read(reader, "/posts/" + post.id()).get("commentCount").asLong() == 2);
        var comments = read(reader, "/posts/" + post.id() + "/comments").get("comments");
        assertThat(comments.size()).isEqualTo(2);
        assertThat(comments.get(1).get("parentId").asText()).isEqualTo(first.id().toString());
        assertThat(read(owner, "/posts/" + post.id() + "/comments").get("comments").size()).isEqualTo(3);

        harness.call("moderation", "PUT", "/api/v1/moderation/comment/" + reply.id(), Map.of("decision", "reject"), owner);
        eventually(() -> read(reader, "/posts/" + post.id()).get("commentCount").asLong() == 1);
        harness.call("posts", "DELETE", "/api/v1/posts/" + post.id(), null, owner);
        eventually(() -> status(reader, "/posts/" + post.id()) == 404);
        assertThat(status(owner, "/posts/" + post.id() + "/comments")).isEqualTo(404);
    }

    @Test
    void aDeletedStoreIsRebuiltByReplayAndAnswersExactlyAsBefore() throws Exception {
        var owner = TestHarness.user("owner");
        var member = TestHarness.user("member");
        RoomView room = room(owner);
        join(member, room);
        List<PostView> posts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            PostView p = post(i % 2 == 0 ? owner : member, room, i % 7 == 0 ? "orange " + i : "post " + i);
            posts.add(p);
            comment(member, p, "comment on " + i);
            if (i % 3 == 0) {
                vote(member, p, i % 2 == 0 ? 1 : -1);
            }
        }
        List<Identity> readers = List.of(owner, member, TestHarness.user("stranger"));
        eventually(() -> read(member, "/posts/" + posts.getLast().id() + "/comments").get("comments").size() == 1
                && read(member, "/posts/" + posts.getLast().id()).get("commentCount").asLong() == 1);
        // The last votes and decisions have landed when two readings in a row agree.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> snapshot(readers, room, posts).equals(snapshot(readers, room, posts)));
        var before = snapshot(readers, room, posts);

        harness.launcher().stopService("query");
        harness.wipeStore("query");
        harness.launcher().startService(new QueryService());
        assertThat(harness.launcher().awaitReady(Duration.ofSeconds(30))).isTrue();

        var after = snapshot(readers, room, posts);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).as("answer %d of %d", i, before.size()).isEqualTo(before.get(i));
        }
    }

    /** Every answer the readers get about the room: each order's pages, each post, each post's comments. */
    private static List<String> snapshot(List<Identity> readers, RoomView room, List<PostView> posts) {
        List<String> answers = new ArrayList<>();
        for (Identity reader : readers) {
            for (String sort : List.of("hot", "new", "top")) {
                String cursor = null;
                do {
                    var page = read(reader, "/rooms/" + room.id() + "/posts?sort=" + sort + "&limit=7"
                            + (cursor == null ? "" : "&cursor=" + cursor));
                    answers.add(page.toString());
                    cursor = page.get("next").isNull() ? null : page.get("next").asText();
                } while (cursor != null);
            }
            for (PostView p : posts) {
                var one = harness.call("query", "GET", "/api/v1/posts/" + p.id(), null, reader);
                answers.add(one.status() + one.text());
                var comments = harness.call("query", "GET", "/api/v1/posts/" + p.id() + "/comments", null, reader);
                answers.add(comments.status() + comments.text());
            }
        }
        return answers;
    }
}
