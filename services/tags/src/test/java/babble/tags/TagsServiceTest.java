package babble.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.PostLabels;
import babble.contracts.api.PostList;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.contracts.api.TopicPreferences;
import babble.contracts.events.LabelsChanged;
import babble.contracts.events.TopicsChanged;
import babble.moderation.ModerationService;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.posts.PostsService;
import babble.query.QueryService;
import babble.rooms.RoomsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * The tags service beside real rooms, posts, moderation and query services (the posts labelled, and who may read
 * them): every call and its errors, and the events each change publishes.
 */
class TagsServiceTest {
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService(), new PostsService(), new ModerationService(), new QueryService(),
                new TagsService());
        harness.launcher().infrastructure().bus().consume("test-tags", "events.tags.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static TestHarness.Reply call(String method, String path, Object body, Identity as) {
        return harness.call("tags", method, "/api/v1" + path, body, as);
    }

    private static TopicPreferences putTopics(Identity as, Object body) {
        var reply = call("PUT", "/users/me/topics", body, as);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.as(TopicPreferences.class);
    }

    private static <T> List<T> published(Class<T> type, String typeName, UUID userId) {
        return events.stream().filter(e -> e.type().equals(typeName) && e.key().equals(userId.toString()))
                .map(e -> e.dataAs(type)).toList();
    }

    private static void eventually(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    @Test
    void topicPreferencesAreReplacedWholeNormalisedSortedAndAnnouncedWithGrowingVersions() {
        var ann = TestHarness.user("ann");
        assertThat(call("GET", "/users/me/topics", null, ann).as(TopicPreferences.class))
                .isEqualTo(new TopicPreferences(List.of(), List.of()));

        var first = putTopics(ann, Map.of("follow", List.of(" Rust", "java", "go-lang"), "mute", List.of("spam")));
        var same = putTopics(ann, Map.of("follow", List.of("java", "rust", "go-lang"), "mute", List.of("SPAM")));
        var second = putTopics(ann, Collections.singletonMap("follow", List.of("java")));

        assertThat(first).isEqualTo(new TopicPreferences(List.of("go-lang", "java", "rust"), List.of("spam")));
        assertThat(same).isEqualTo(first);
        assertThat(second).isEqualTo(new TopicPreferences(List.of("java"), List.of()));
        assertThat(call("GET", "/users/me/topics", null, ann).as(TopicPreferences.class)).isEqualTo(second);
        // The change that changed nothing took no version: the next one is 2.
        eventually(() -> published(TopicsChanged.class, TopicsChanged.TYPE, ann.userId()).size() == 2);
        assertThat(published(TopicsChanged.class, TopicsChanged.TYPE, ann.userId())).containsExactly(
                new TopicsChanged(ann.userId(), List.of("go-lang", "java", "rust"), List.of("spam"), 1),
                new TopicsChanged(ann.userId(), List.of("java"), List.of(), 2));
        assertThat(call("GET", "/users/me/topics", null, TestHarness.user("bob")).as(TopicPreferences.class).follow()).isEmpty();
    }

    @Test
    void badTopicPreferencesAre422AndChangeNothing() {
        var cy = TestHarness.user("cy");
        putTopics(cy, Map.of("follow", List.of("kept")));
        var many = IntStream.rangeClosed(0, 100).mapToObj(i -> "t" + i).toList();
        Map<Object, String> bad = new java.util.LinkedHashMap<>();
        bad.put(Map.of("follow", List.of("-dash-first")), "follow");
        bad.put(Map.of("follow", List.of("has space")), "follow");
        bad.put(Map.of("mute", List.of("x".repeat(33))), "mute");
        bad.put(Map.of("mute", List.of("")), "mute");
        bad.put(Map.of("follow", many), "follow");
        bad.put(Map.of("follow", List.of("java", "Java")), "follow");
        bad.put(Map.of("follow", List.of("java"), "mute", List.of("JAVA")), "mute");
        bad.put(Map.of("follow", "java"), "follow");
        bad.put(Map.of("mute", List.of(7)), "mute[0]");

        bad.forEach((body, field) -> {
            var reply = call("PUT", "/users/me/topics", body, cy);
            assertThat(reply.status()).as(body + ": " + reply.text()).isEqualTo(422);
            assertThat(reply.invalidField()).as(body.toString()).isEqualTo(field);
        });
        assertThat(call("PUT", "/users/me/topics", "[]", cy).status()).isEqualTo(400);
        assertThat(call("PUT", "/users/me/topics", "{", cy).status()).isEqualTo(400);
        assertThat(call("PUT", "/users/me/topics", null, cy).status()).isEqualTo(400);
        assertThat(call("GET", "/users/me/topics", null, Identity.ofService("gateway")).status()).isEqualTo(401);
        assertThat(call("GET", "/users/me/topics", null, cy).as(TopicPreferences.class).follow()).containsExactly("kept");
        assertThat(putTopics(cy, Map.of("follow", many.subList(0, 100))).follow()).hasSize(100);
    }

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "labels"), owner).as(RoomView.class);
    }

    private static PostView post(Identity as, RoomView room, String title) {
        var reply = harness.call("posts", "POST", "/api/v1/rooms/" + room.id() + "/posts", Map.of("title", title), as);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(PostView.class);
    }

    /** The post once the query service shows it to {@code reader}. */
    private static PostView readable(Identity reader, PostView post) {
        eventually(() -> harness.call("query", "GET", "/api/v1/posts/" + post.id(), null, reader).status() == 200);
        return post;
    }

    private static PostLabels putLabels(Identity as, PostView post, List<String> labels) {
        var reply = call("PUT", "/posts/" + post.id() + "/labels", Map.of("labels", labels), as);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.as(PostLabels.class);
    }

    @Test
    void labelsArePrivateReplacedWholeAndAnnounced() {
        var owner = TestHarness.user("owner");
        var dee = TestHarness.user("dee");
        PostView post = readable(dee, post(owner, room(owner), "worth keeping"));

        var first = putLabels(dee, post, List.of("Read-Later", "gems"));
        var second = putLabels(dee, post, List.of("gems", "read-later"));
        var third = putLabels(dee, post, List.of("gems", "classics"));

        assertThat(first).isEqualTo(new PostLabels(post.id(), List.of("gems", "read-later")));
        assertThat(second).isEqualTo(first);
        assertThat(third.labels()).containsExactly("classics", "gems");
        assertThat(call("GET", "/posts/" + post.id() + "/labels", null, dee).as(PostLabels.class)).isEqualTo(third);
        assertThat(call("GET", "/posts/" + post.id() + "/labels", null, owner).as(PostLabels.class))
                .isEqualTo(new PostLabels(post.id(), List.of()));

        var removed = call("PUT", "/posts/" + post.id() + "/labels", Map.of(), dee).as(PostLabels.class);
        assertThat(removed.labels()).isEmpty();
        eventually(() -> published(LabelsChanged.class, LabelsChanged.TYPE, dee.userId()).size() == 3);
        assertThat(published(LabelsChanged.class, LabelsChanged.TYPE, dee.userId())).containsExactly(
                new LabelsChanged(dee.userId(), post.id(), List.of("gems", "read-later"), 1),
                new LabelsChanged(dee.userId(), post.id(), List.of("classics", "gems"), 2),
                new LabelsChanged(dee.userId(), post.id(), List.of(), 3));
    }

    @Test
    void onlyReadablePostsAreLabelledAndBadLabelsAre422() {
        var owner = TestHarness.user("owner");
        var eve = TestHarness.user("eve");
        RoomView room = room(owner);
        PostView rejected = post(owner, room, "an orange, alas");
        PostView fine = readable(eve, post(owner, room, "a pear"));
        eventually(() -> harness.call("query", "GET", "/api/v1/posts/" + rejected.id(), null, owner)
                .json().get("status").asText().equals("rejected"));

        assertThat(call("PUT", "/posts/" + rejected.id() + "/labels", Map.of("labels", List.of("x")), eve).status()).isEqualTo(404);
        assertThat(putLabels(owner, rejected, List.of("mine")).labels()).containsExactly("mine");
        assertThat(call("PUT", "/posts/" + UUID.randomUUID() + "/labels", Map.of("labels", List.of("x")), eve).status()).isEqualTo(404);
        assertThat(call("PUT", "/posts/not-an-id/labels", Map.of("labels", List.of("x")), eve).status()).isEqualTo(404);
        assertThat(call("GET", "/posts/not-an-id/labels", null, eve).status()).isEqualTo(404);
        var twentyOne = IntStream.range(0, 21).mapToObj(i -> "l" + i).toList();
        for (Object body : List.of(Map.of("labels", List.of("no way")), Map.of("labels", twentyOne),
                Map.of("labels", List.of("a", "A")), Map.of("labels", "a"))) {
            var reply = call("PUT", "/posts/" + fine.id() + "/labels", body, eve);
            assertThat(reply.status()).as(body.toString()).isEqualTo(422);
            assertThat(reply.invalidField()).isEqualTo("labels");
        }
        assertThat(call("PUT", "/posts/" + fine.id() + "/labels", "nope", eve).status()).isEqualTo(400);
        assertThat(putLabels(eve, fine, twentyOne.subList(0, 20)).labels()).hasSize(20);
    }

    @Test
    void labelledPostsPageNewestLabelFirstAndLeaveOutPostsNoLongerReadable() {
        var owner = TestHarness.user("owner");
        var fin = TestHarness.user("fin");
        RoomView room = room(owner);
        List<PostView> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posts.add(readable(fin, post(owner, room, "post " + i)));
            putLabels(fin, posts.getLast(), List.of("later"));
        }
        putLabels(fin, posts.getFirst(), List.of("later", "also")); // a label kept keeps its time

        assertThat(labelled(fin, "later", 2)).containsExactly(ids(posts, 4, 3, 2, 1, 0));
        assertThat(labelled(fin, "Later", 100)).containsExactly(ids(posts, 4, 3, 2, 1, 0));
        assertThat(labelled(fin, "also", 2)).containsExactly(ids(posts, 0));
        assertThat(labelled(owner, "later", 2)).isEmpty();

        assertThat(harness.call("posts", "DELETE", "/api/v1/posts/" + posts.get(2).id(), null, owner).status()).isEqualTo(204);
        eventually(() -> harness.call("query", "GET", "/api/v1/posts/" + posts.get(2).id(), null, fin).status() == 404);
        var page = call("GET", "/users/me/labels/later/posts?limit=3", null, fin).as(PostList.class);
        assertThat(page.posts()).extracting(PostView::id).containsExactly(ids(posts, 4, 3));
        assertThat(page.posts().getFirst().title()).isEqualTo("post 4");
        assertThat(labelled(fin, "later", 3)).containsExactly(ids(posts, 4, 3, 1, 0));

        var errors = new HashMap<String, String>();
        errors.put("/users/me/labels/later/posts?limit=0", "limit");
        errors.put("/users/me/labels/later/posts?limit=101", "limit");
        errors.put("/users/me/labels/later/posts?cursor=made-up", "cursor");
        errors.put("/users/me/labels/not%20a%20tag/posts", "tag");
        errors.forEach((path, field) -> {
            var reply = call("GET", path, null, fin);
            assertThat(reply.status()).as(path).isEqualTo(422);
            assertThat(reply.invalidField()).as(path).isEqualTo(field);
        });
    }

    private static UUID[] ids(List<PostView> posts, int... indexes) {
        return IntStream.of(indexes).mapToObj(i -> posts.get(i).id()).toArray(UUID[]::new);
    }

    /** Every post id of a label listing, {@code limit} to a page. */
    private static List<UUID> labelled(Identity as, String tag, int limit) {
        List<UUID> ids = new ArrayList<>();
        String cursor = null;
        do {
            var reply = call("GET", "/users/me/labels/" + tag + "/posts?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor),
                    null, as);
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            var page = reply.as(PostList.class);
            page.posts().forEach(p -> ids.add(p.id()));
            cursor = page.next();
        } while (cursor != null);
        return ids;
    }
}
