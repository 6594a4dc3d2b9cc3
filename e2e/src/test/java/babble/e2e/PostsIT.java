package babble.e2e;

import static babble.e2e.PostsApi.DECISION;
import static babble.e2e.PostsApi.READ_MODEL;
import static babble.e2e.PostsApi.allComments;
import static babble.e2e.PostsApi.allPosts;
import static babble.e2e.PostsApi.assertField;
import static babble.e2e.PostsApi.assertProblem;
import static babble.e2e.PostsApi.awaitComment;
import static babble.e2e.PostsApi.awaitPost;
import static babble.e2e.PostsApi.commentsPath;
import static babble.e2e.PostsApi.createComment;
import static babble.e2e.PostsApi.createPost;
import static babble.e2e.PostsApi.decide;
import static babble.e2e.PostsApi.deletePost;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.getPost;
import static babble.e2e.PostsApi.ids;
import static babble.e2e.PostsApi.newComment;
import static babble.e2e.PostsApi.newPost;
import static babble.e2e.PostsApi.newReply;
import static babble.e2e.PostsApi.ok;
import static babble.e2e.PostsApi.postPath;
import static babble.e2e.PostsApi.postsPath;
import static babble.e2e.PostsApi.putRules;
import static babble.e2e.PostsApi.vote;
import static babble.e2e.PostsApi.voteCall;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * API.md, "Posts, comments, votes and moderation": posts and comments with their exact shapes and limits, lists in
 * three sorts with cursors, votes, visibility of items moderation has not approved, deleting, and every error.
 * Reads come from the query read model, so each read after a write waits with {@link PostsApi#eventually}.
 */
class PostsIT extends E2E {
    private static final List<String> POST_FIELDS = List.of("id", "roomId", "author", "title", "body", "url", "tags",
            "score", "myVote", "commentCount", "status", "reason", "createdAt");
    private static final List<String> COMMENT_FIELDS = List.of("id", "postId", "roomId", "parentId", "author", "text",
            "status", "reason", "createdAt");
    /** The epoch of the hot formula: 2005-12-08T07:46:43Z. */
    private static final long HOT_EPOCH = Instant.parse("2005-12-08T07:46:43Z").getEpochSecond();

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(t -> out.add(t.asText()));
        return out;
    }

    /** A time as answered, to the millisecond (the write side and the read model may keep different precisions). */
    private static Instant millis(JsonNode time) {
        return Instant.parse(time.asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static String id(JsonNode item) {
        return item.get("id").asText();
    }

    /** A post by {@code author} that moderation has approved (waits for it). */
    private static String approvedPost(UserSession author, UUID room, String title) {
        String id = id(newPost(author, room, title));
        awaitPost(author, id, "approved");
        return id;
    }

    // ---- creating posts ----

    @Test
    void creatingAPostAnswers201WithThePostAsWrittenPendingWithNormalizedTags() {
        var ann = newUser("ann");
        UUID room = ann.createRoom("community").id();
        var body = new LinkedHashMap<String, Object>();
        body.put("title", "  Hello, community  ");
        body.put("body", "Some *markdown*\nover two lines");
        body.put("url", "https://example.com/a?b=c");
        body.put("tags", List.of("Java", "java", "web-dev", "JAVA"));
        Instant before = Instant.now().minusSeconds(60);

        ApiResponse response = createPost(ann, room, body);

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode post = response.json();
        assertThat(fieldNames(post)).containsExactlyInAnyOrderElementsOf(POST_FIELDS);
        assertThat(UUID.fromString(id(post)).version()).isEqualTo(7);
        assertThat(post.get("roomId").asText()).isEqualTo(room.toString());
        assertThat(post.get("author").get("id").asText()).isEqualTo(ann.id().toString());
        assertThat(post.get("author").get("username").asText()).isEqualTo(ann.user().username());
        assertThat(post.get("author").get("displayName").asText()).isEqualTo(ann.user().displayName());
        assertThat(post.get("title").asText()).isEqualTo("Hello, community");
        assertThat(post.get("body").asText()).isEqualTo("Some *markdown*\nover two lines");
        assertThat(post.get("url").asText()).isEqualTo("https://example.com/a?b=c");
        assertThat(texts(post.get("tags"))).containsExactlyInAnyOrder("java", "web-dev");
        assertThat(post.get("score").asLong()).isZero();
        assertThat(post.get("myVote").asInt()).isZero();
        assertThat(post.get("commentCount").asLong()).isZero();
        assertThat(post.get("status").asText()).isEqualTo("pending");
        assertThat(Instant.parse(post.get("createdAt").asText())).isBetween(before, Instant.now().plusSeconds(60));

        JsonNode approved = awaitPost(ann, id(post), "approved");
        assertThat(fieldNames(approved)).containsExactlyInAnyOrderElementsOf(POST_FIELDS);
        assertThat(approved.get("reason").isNull()).as("reason is null on approved items").isTrue();
        for (String field : List.of("id", "roomId", "author", "title", "body", "url", "tags", "score", "myVote",
                "commentCount")) {
            assertThat(approved.get(field)).as(field).isEqualTo(post.get(field));
        }
        assertThat(millis(approved.get("createdAt"))).isEqualTo(millis(post.get("createdAt")));
    }

    @Test
    void absentBodyUrlAndTagsAreNullNullAndEmpty() {
        var bo = newUser("bo");
        UUID room = bo.createRoom("bare").id();

        JsonNode post = newPost(bo, room, "Just a title");

        assertThat(post.get("body").isNull()).isTrue();
        assertThat(post.get("url").isNull()).isTrue();
        assertThat(post.get("tags").isArray()).isTrue();
        assertThat(post.get("tags")).isEmpty();
        JsonNode read = awaitPost(bo, id(post), "approved");
        assertThat(read.get("body").isNull()).isTrue();
        assertThat(read.get("url").isNull()).isTrue();
        assertThat(read.get("tags")).isEmpty();
    }

    @Test
    void invalidPostsAre422NamingTheFieldAndNothingIsCreated() {
        var cy = newUser("cy");
        UUID room = cy.createRoom("bad posts").id();

        assertField(createPost(cy, room, Map.of()), "title");
        assertField(createPost(cy, room, Map.of("title", "")), "title");
        assertField(createPost(cy, room, Map.of("title", " \n\t ")), "title");
        assertField(createPost(cy, room, Map.of("title", "t".repeat(301))), "title");
        assertField(createPost(cy, room, Map.of("title", "\uD83D\uDE00".repeat(301))), "title");
        assertField(createPost(cy, room, "{\"title\": 42}"), "title");
        assertField(createPost(cy, room, Map.of("title", "ok", "body", "b".repeat(40_001))), "body");
        for (String url : List.of("ftp://x", "javascript:alert(1)", "not a url", "/relative/path", "example.com",
                "https://example.com/" + "p".repeat(2_000))) {
            assertField(createPost(cy, room, Map.of("title", "ok", "url", url)), "url");
        }
        for (List<String> tags : List.of(List.of("has space"), List.of("-leading"), List.of("t".repeat(33)), List.of(""),
                List.of("under_score"), List.of("ok", "\u00FCmlaut"), List.of("a", "b", "c", "d", "e", "f"))) {
            assertField(createPost(cy, room, Map.of("title", "ok", "tags", tags)), "tags");
        }
        assertField(createPost(cy, room, "{\"title\": \"ok\", \"tags\": \"java\"}"), "tags");
        assertProblem(createPost(cy, room, "{\"title\": "), 400);

        String marker = id(newPost(cy, room, "the only post"));
        eventually(READ_MODEL, () -> assertThat(ids(allPosts(cy, room, "new", 100))).containsExactly(marker));
    }

    @Test
    void limitsCountCharactersAndTheLongestValuesAreAccepted() {
        var dee = newUser("dee");
        UUID room = dee.createRoom("long ones").id();
        String url = "https://example.com/" + "p".repeat(2_000 - "https://example.com/".length());
        String longTag = "t" + "x".repeat(31);

        JsonNode emoji = newPost(dee, room, "\uD83D\uDE00".repeat(300));
        JsonNode big = newPost(dee, room, Map.of("title", "t".repeat(300), "body", "b".repeat(40_000), "url", url,
                "tags", List.of("one", "two", "three", "four", longTag)));

        assertThat(emoji.get("title").asText().codePointCount(0, emoji.get("title").asText().length())).isEqualTo(300);
        assertThat(big.get("body").asText()).hasSize(40_000);
        assertThat(big.get("url").asText()).isEqualTo(url);
        assertThat(texts(big.get("tags"))).containsExactlyInAnyOrder("one", "two", "three", "four", longTag);
        String http = id(newPost(dee, room, Map.of("title", "plain http", "url", "http://example.com")));
        assertThat(awaitPost(dee, http, "approved").get("url").asText()).isEqualTo("http://example.com");
    }

    // ---- who may do what ----

    @Test
    void everyCallNeedsAToken() {
        var eve = newUser("eve");
        UUID room = eve.createRoom("tokens").id();
        String post = approvedPost(eve, room, "a post");
        String comment = id(newComment(eve, post, "a comment"));
        awaitComment(eve, post, comment, "approved");

        record Call(String method, String path, Object body) {
        }
        var calls = List.of(
                new Call("POST", postsPath(room), Map.of("title", "no token")),
                new Call("GET", postsPath(room), null),
                new Call("GET", postPath(post), null),
                new Call("DELETE", postPath(post), null),
                new Call("PUT", postPath(post) + "/vote", Map.of("value", 1)),
                new Call("POST", commentsPath(post), Map.of("text", "no token")),
                new Call("GET", commentsPath(post), null),
                new Call("GET", PostsApi.rulesPath(room), null),
                new Call("PUT", PostsApi.rulesPath(room), Map.of("blockedWords", List.of(), "holdWords", List.of(), "holdAll", false)),
                new Call("GET", PostsApi.queuePath(room), null),
                new Call("PUT", PostsApi.decisionPath("comment", comment), Map.of("decision", "reject")),
                new Call("GET", PostsApi.historyPath("post", post), null));
        for (Call call : calls) {
            assertProblem(client.call(call.method(), call.path(), call.body(), null), 401);
            assertProblem(client.call(call.method(), call.path(), call.body(), "not-a-real-token"), 401);
        }
        assertThat(awaitPost(eve, post, "approved").get("title").asText()).isEqualTo("a post");
    }

    @Test
    void anySignedInUserMayReadButOnlyMembersWrite() {
        var fay = newUser("fay");
        var gus = newUser("gus"); // not a member
        UUID room = fay.createRoom("public square").id();
        String post = approvedPost(fay, room, "Open to all readers");
        String comment = id(newComment(fay, post, "readers welcome"));
        awaitComment(fay, post, comment, "approved");

        eventually(READ_MODEL, () -> assertThat(ids(allPosts(gus, room, "hot", 25))).containsExactly(post));
        assertThat(ok(gus, postPath(post)).get("title").asText()).isEqualTo("Open to all readers");
        assertThat(ids(allComments(gus, post, 100))).containsExactly(comment);

        assertProblem(createPost(gus, room, Map.of("title", "let me post")), 403);
        assertProblem(createComment(gus, post, Map.of("text", "let me comment")), 403);
        assertProblem(voteCall(gus, post, 1), 403);

        gus.join(room); // takes effect on the very next call
        assertThat(createPost(gus, room, Map.of("title", "now a member")).status()).isEqualTo(201);
        assertThat(voteCall(gus, post, 1).status()).isEqualTo(200);
        gus.leave(room);
        assertProblem(createPost(gus, room, Map.of("title", "gone again")), 403);
        assertProblem(createComment(gus, post, Map.of("text", "gone again")), 403);
        assertProblem(voteCall(gus, post, -1), 403);
    }

    @Test
    void anUnknownRoomOrPostIs404() {
        var hal = newUser("hal");
        String room = UUID.randomUUID().toString();
        String post = UUID.randomUUID().toString();

        assertProblem(hal.call("POST", "/api/v1/rooms/" + room + "/posts", Map.of("title", "hello?")), 404);
        assertProblem(hal.call("GET", "/api/v1/rooms/" + room + "/posts", null), 404);
        assertProblem(hal.call("POST", "/api/v1/rooms/not-an-id/posts", Map.of("title", "hello?")), 404);
        assertProblem(hal.call("GET", "/api/v1/rooms/not-an-id/posts", null), 404);
        for (String id : List.of(post, "not-an-id")) {
            assertProblem(getPost(hal, id), 404);
            assertProblem(deletePost(hal, id), 404);
            assertProblem(voteCall(hal, id, 1), 404);
            assertProblem(createComment(hal, id, Map.of("text", "anyone?")), 404);
            assertProblem(hal.call("GET", commentsPath(id), null), 404);
        }
    }

    // ---- Idempotency-Key ----

    @Test
    void retryingWithTheSameIdempotencyKeyCreatesOnePost() {
        var ian = newUser("ian");
        UUID room = ian.createRoom("retries").id();
        Map<String, Object> body = Map.of("title", "Once only", "body", "b", "tags", List.of("x"));

        ApiResponse first = createPost(ian, room, body, "post-key-1");
        ApiResponse retry = createPost(ian, room, body, "post-key-1");
        JsonNode other = PostsApi.createPost(ian, room, Map.of("title", "Another"), "post-key-2").json();

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).as(retry.text()).isEqualTo(201);
        assertThat(id(retry.json())).isEqualTo(id(first.json()));
        assertThat(millis(retry.json().get("createdAt"))).isEqualTo(millis(first.json().get("createdAt")));
        assertThat(id(other)).isNotEqualTo(id(first.json()));
        eventually(READ_MODEL, () ->
                assertThat(ids(allPosts(ian, room, "new", 100))).containsExactly(id(other), id(first.json())));
    }

    @Test
    void reusingAnIdempotencyKeyForDifferentContentIs409() {
        var joy = newUser("joy");
        UUID room = joy.createRoom("key reuse").id();
        String post = id(createPost(joy, room, Map.of("title", "first", "body", "b"), "same-key").json());

        assertProblem(createPost(joy, room, Map.of("title", "second", "body", "b"), "same-key"), 409);
        assertProblem(createPost(joy, room, Map.of("title", "first", "body", "other"), "same-key"), 409);

        awaitPost(joy, post, "approved");
        JsonNode comment = createComment(joy, post, Map.of("text", "say it once"), "comment-key").json();
        ApiResponse again = createComment(joy, post, Map.of("text", "say it once"), "comment-key");
        assertThat(again.status()).isEqualTo(201);
        assertThat(id(again.json())).isEqualTo(id(comment));
        assertProblem(createComment(joy, post, Map.of("text", "say it twice"), "comment-key"), 409);

        String marker = id(newComment(joy, post, "marker"));
        eventually(READ_MODEL, () -> assertThat(ids(allComments(joy, post, 100))).containsExactly(id(comment), marker));
        eventually(READ_MODEL, () -> assertThat(ids(allPosts(joy, room, "new", 100))).containsExactly(post));
    }

    @Test
    void idempotencyKeysBelongToTheirUserAndAnInvalidKeyIs422() {
        var kay = newUser("kay");
        var lee = newUser("lee");
        UUID room = kay.createRoom("two keys").id();
        lee.join(room);

        String fromKay = id(createPost(kay, room, Map.of("title", "hi"), "shared-key").json());
        String fromLee = id(createPost(lee, room, Map.of("title", "hi"), "shared-key").json());

        assertThat(fromLee).isNotEqualTo(fromKay);
        awaitPost(kay, fromKay, "approved");
        assertField(createPost(kay, room, Map.of("title", "x"), "k".repeat(129)), "Idempotency-Key");
        assertField(createPost(kay, room, Map.of("title", "x"), "has space"), "Idempotency-Key");
        assertField(createComment(kay, fromKay, Map.of("text", "x"), "k".repeat(129)), "Idempotency-Key");
        assertThat(createPost(kay, room, Map.of("title", "longest key"), "k".repeat(128)).status()).isEqualTo(201);
    }

    // ---- lists ----

    @Test
    void postsAreSortedHotNewAndTop() {
        var amy = newUser("amy");
        var ben = newUser("ben");
        var cal = newUser("cal");
        var dan = newUser("dan");
        UUID room = amy.createRoom("sorting").id();
        for (var member : List.of(ben, cal, dan)) {
            member.join(room);
        }
        List<String> p = new ArrayList<>();
        p.add(null); // p.get(1) is the first post
        for (int i = 1; i <= 7; i++) {
            p.add(id(newPost(amy, room, "post " + i)));
        }
        for (int i = 1; i <= 7; i++) {
            awaitPost(amy, p.get(i), "approved");
        }
        vote(amy, p.get(1), 1);
        vote(ben, p.get(1), 1);
        vote(cal, p.get(1), 1);  // p1: 3
        vote(ben, p.get(2), -1);
        vote(cal, p.get(2), -1); // p2: -2
        vote(ben, p.get(4), 1);  // p4: 1
        vote(ben, p.get(5), 1);
        vote(cal, p.get(5), 1);  // p5: 2
        vote(amy, p.get(6), 1);
        vote(ben, p.get(6), -1); // p6: 0 (p3 has no votes: 0 too)
        vote(dan, p.get(7), -1); // p7: -1
        Map<String, Long> scores = Map.of(p.get(1), 3L, p.get(2), -2L, p.get(3), 0L, p.get(4), 1L, p.get(5), 2L,
                p.get(6), 0L, p.get(7), -1L);

        List<String> newest = List.of(p.get(7), p.get(6), p.get(5), p.get(4), p.get(3), p.get(2), p.get(1));
        // top: by score, then newest
        List<String> top = List.of(p.get(1), p.get(5), p.get(4), p.get(6), p.get(3), p.get(7), p.get(2));
        // hot: log10(3) > log10(2) > 0 (scores 1, 0 and -1 all weigh 0, so those go newest first) > -log10(2)
        List<String> hot = List.of(p.get(1), p.get(5), p.get(7), p.get(6), p.get(4), p.get(3), p.get(2));

        eventually(READ_MODEL, () -> {
            List<JsonNode> listed = allPosts(ben, room, "top", 100);
            assertThat(ids(listed)).isEqualTo(top);
            listed.forEach(post -> assertThat(post.get("score").asLong()).as("score").isEqualTo(scores.get(id(post))));
        });
        assertThat(ids(allPosts(ben, room, "new", 100))).isEqualTo(newest);
        List<JsonNode> hotList = allPosts(ben, room, "hot", 100);
        assertThat(ids(hotList)).isEqualTo(hot);
        assertThat(ids(PostsApi.everyPage(ben, postsPath(room) + "?limit=100", "posts"))).as("hot is the default").isEqualTo(hot);
        // The formula itself, from each post's createdAt and score as answered:
        assertThat(hotList).isSortedAccordingTo(Comparator.comparingDouble(PostsIT::hotness).reversed());

        Map<String, Integer> bensVotes = Map.of(p.get(1), 1, p.get(2), -1, p.get(4), 1, p.get(5), 1, p.get(6), -1);
        hotList.forEach(post -> assertThat(post.get("myVote").asInt()).as("ben's vote on %s", id(post))
                .isEqualTo(bensVotes.getOrDefault(id(post), 0)));
        allPosts(dan, room, "new", 100).forEach(post -> assertThat(post.get("myVote").asInt())
                .isEqualTo(id(post).equals(p.get(7)) ? -1 : 0));
    }

    private static double hotness(JsonNode post) {
        long s = post.get("score").asLong();
        Instant created = Instant.parse(post.get("createdAt").asText());
        double seconds = created.getEpochSecond() - HOT_EPOCH + created.getNano() / 1e9;
        return Math.signum(s) * Math.log10(Math.max(Math.abs(s), 1)) + seconds / 45_000;
    }

    @Test
    void pagingWithTheCursorGoesThroughEveryPostOnceInEachSort() {
        var eli = newUser("eli");
        UUID room = eli.createRoom("many posts").id();
        List<String> created = IntStream.rangeClosed(1, 27).mapToObj(i -> id(newPost(eli, room, "post " + i))).toList();
        eventually(DECISION, () -> assertThat(allPosts(eli, room, "new", 100))
                .hasSize(27).allSatisfy(post -> assertThat(post.get("status").asText()).isEqualTo("approved")));
        for (int i : List.of(2, 9, 20)) {
            vote(eli, created.get(i), 1);
        }
        vote(eli, created.get(5), -1);
        eventually(READ_MODEL, () -> assertThat(allPosts(eli, room, "top", 100))
                .extracting(post -> post.get("score").asLong()).startsWith(1L, 1L, 1L, 0L).endsWith(0L, -1L));

        JsonNode firstPage = ok(eli, postsPath(room));
        assertThat(firstPage.get("posts")).hasSize(25); // default limit
        assertThat(firstPage.get("next").isNull()).isFalse();

        for (String sort : List.of("hot", "new", "top")) {
            JsonNode whole = ok(eli, postsPath(room) + "?sort=" + sort + "&limit=100");
            assertThat(whole.get("next").isNull()).as("one page holds all 27").isTrue();
            List<String> all = ids(whole.get("posts"));
            for (int limit : List.of(1, 4, 10, 26, 27)) {
                List<String> paged = ids(allPosts(eli, room, sort, limit));
                assertThat(paged).as("%s by pages of %d", sort, limit).isEqualTo(all);
                assertThat(new HashSet<>(paged)).hasSize(27);
            }
        }
        assertThat(ids(allPosts(eli, room, "new", 100))).isEqualTo(created.reversed());
    }

    @Test
    void badListParametersAre422() {
        var fin = newUser("fin");
        UUID room = fin.createRoom("bad params").id();
        String post = null;
        for (int i = 0; i < 3; i++) {
            post = id(newPost(fin, room, "post " + i));
        }
        String last = post;
        eventually(DECISION, () -> assertThat(allPosts(fin, room, "new", 100)).hasSize(3)
                .allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("approved")));
        String newCursor = java.net.URLEncoder.encode(ok(fin, postsPath(room) + "?sort=new&limit=1").get("next").asText(),
                java.nio.charset.StandardCharsets.UTF_8);
        String path = postsPath(room);

        assertField(fin.call("GET", path + "?sort=best", null), "sort");
        for (String limit : List.of("0", "101", "-1", "abc")) {
            assertField(fin.call("GET", path + "?limit=" + limit, null), "limit");
        }
        assertField(fin.call("GET", path + "?sort=new&cursor=bm90LWEtY3Vyc29y", null), "cursor");
        assertField(fin.call("GET", path + "?sort=new&cursor=%21%21%21", null), "cursor");
        assertField(fin.call("GET", path + "?sort=top&cursor=" + newCursor, null), "cursor");
        assertField(fin.call("GET", path + "?sort=hot&cursor=" + newCursor, null), "cursor");
        assertThat(fin.call("GET", path + "?sort=new&limit=1&cursor=" + newCursor, null).status()).isEqualTo(200);
        assertThat(ok(fin, path + "?limit=100").get("posts")).hasSize(3);

        String comments = commentsPath(last);
        for (String limit : List.of("0", "201", "abc")) {
            assertField(fin.call("GET", comments + "?limit=" + limit, null), "limit");
        }
        assertField(fin.call("GET", comments + "?cursor=bm90LWEtY3Vyc29y", null), "cursor");
        assertThat(ok(fin, comments + "?limit=200").get("comments")).isEmpty();
    }

    // ---- what others see before approval ----

    @Test
    void aRejectedPostIsSeenOnlyByItsAuthorWithItsReason() {
        var gil = newUser("gil"); // owner
        var hop = newUser("hop"); // author
        var ivo = newUser("ivo"); // not a member
        UUID room = gil.createRoom("rejections").id();
        hop.join(room);

        String rejected = id(newPost(hop, room, "Orange is the new black"));
        JsonNode seenByAuthor = awaitPost(hop, rejected, "rejected");

        assertThat(seenByAuthor.get("reason").asText()).containsIgnoringCase("orange");
        // The read model has the decision now (the author read it there): nobody else sees the post.
        assertProblem(getPost(gil, rejected), 404);
        assertProblem(getPost(ivo, rejected), 404);
        String visible = approvedPost(hop, room, "A fine title");
        eventually(READ_MODEL, () -> assertThat(ids(allPosts(gil, room, "new", 100))).containsExactly(visible));
        for (String sort : List.of("hot", "new", "top")) {
            assertThat(ids(allPosts(ivo, room, sort, 100))).as(sort).containsExactly(visible);
            List<JsonNode> own = allPosts(hop, room, sort, 100);
            assertThat(ids(own)).as(sort).containsExactlyInAnyOrder(visible, rejected);
            assertThat(own).filteredOn(p -> id(p).equals(rejected)).singleElement()
                    .satisfies(p -> assertThat(p.get("status").asText()).isEqualTo("rejected"))
                    .satisfies(p -> assertThat(p.get("reason").asText()).containsIgnoringCase("orange"));
        }
    }

    @Test
    void aHeldPostIsHiddenFromOthersUntilTheOwnerApprovesIt() {
        var jan = newUser("jan"); // owner
        var kit = newUser("kit"); // author
        var lou = newUser("lou"); // a member
        UUID room = jan.createRoom("held").id();
        kit.join(room);
        lou.join(room);
        putRules(jan, room, List.of(), List.of(), true);

        String held = id(newPost(kit, room, "Please look at this"));
        assertProblem(getPost(lou, held), 404); // pending: not visible to others
        JsonNode seenByAuthor = awaitPost(kit, held, "held");

        assertThat(seenByAuthor.get("reason").isNull()).as("a held item says why").isFalse();
        assertProblem(getPost(lou, held), 404);
        assertProblem(getPost(jan, held), 404); // the owner finds it in the queue, not among posts
        assertThat(ids(allPosts(lou, room, "new", 100))).doesNotContain(held);
        assertThat(ids(allPosts(kit, room, "new", 100))).contains(held);

        decide(jan, "post", held, "approve", null);

        JsonNode approved = awaitPost(lou, held, "approved");
        assertThat(approved.get("reason").isNull()).isTrue();
        eventually(READ_MODEL, () -> assertThat(ids(allPosts(lou, room, "hot", 100))).containsExactly(held));
    }

    // ---- votes ----

    @Test
    void votesCountOncePerUserAndCanBeChangedOrWithdrawn() {
        var max = newUser("max"); // owner and author
        var ned = newUser("ned");
        var oz = newUser("oz"); // reads, never votes
        UUID room = max.createRoom("votes").id();
        ned.join(room);
        String post = approvedPost(max, room, "Vote on me");

        JsonNode up = vote(ned, post, 1);
        assertThat(fieldNames(up)).contains("score", "myVote");
        assertThat(up.get("score").asLong()).isEqualTo(1);
        assertThat(up.get("myVote").asInt()).isEqualTo(1);
        assertThat(vote(ned, post, 1).get("score").asLong()).as("one vote per user").isEqualTo(1);
        JsonNode down = vote(ned, post, -1);
        assertThat(down.get("score").asLong()).isEqualTo(-1);
        assertThat(down.get("myVote").asInt()).isEqualTo(-1);
        assertThat(vote(max, post, -1).get("score").asLong()).isEqualTo(-2);
        JsonNode withdrawn = vote(ned, post, 0);
        assertThat(withdrawn.get("score").asLong()).isEqualTo(-1);
        assertThat(withdrawn.get("myVote").asInt()).isZero();
        assertThat(vote(ned, post, 0).get("score").asLong()).as("withdrawing twice changes nothing").isEqualTo(-1);
        JsonNode last = vote(ned, post, 1);
        assertThat(last.get("score").asLong()).isZero();
        assertThat(last.get("myVote").asInt()).isEqualTo(1);

        eventually(READ_MODEL, () -> {
            JsonNode seen = ok(ned, postPath(post));
            assertThat(seen.get("score").asLong()).isZero();
            assertThat(seen.get("myVote").asInt()).isEqualTo(1);
        });
        JsonNode byAuthor = ok(max, postPath(post));
        assertThat(byAuthor.get("score").asLong()).isZero();
        assertThat(byAuthor.get("myVote").asInt()).isEqualTo(-1);
        JsonNode byReader = ok(oz, postPath(post));
        assertThat(byReader.get("score").asLong()).isZero();
        assertThat(byReader.get("myVote").asInt()).isZero();
        JsonNode listed = allPosts(ned, room, "top", 100).getFirst();
        assertThat(listed.get("score").asLong()).isZero();
        assertThat(listed.get("myVote").asInt()).isEqualTo(1);
    }

    @Test
    void invalidVotesAre422AndOnlyMembersVoteOnPostsThatExist() {
        var pia = newUser("pia");
        var quy = newUser("quy"); // not a member
        UUID room = pia.createRoom("bad votes").id();
        String post = approvedPost(pia, room, "Vote properly");

        for (Object value : List.of(2, -2, 100, "up")) {
            assertField(voteCall(pia, post, value), "value");
        }
        assertField(pia.call("PUT", postPath(post) + "/vote", Map.of()), "value");
        assertProblem(pia.call("PUT", postPath(post) + "/vote", "{\"value\": "), 400);
        assertProblem(voteCall(quy, post, 1), 403);
        assertProblem(voteCall(pia, UUID.randomUUID().toString(), 1), 404);

        assertThat(vote(pia, post, 1).get("score").asLong()).as("nothing invalid was counted").isEqualTo(1);
    }

    // ---- comments ----

    @Test
    void commentsAnswer201AndListOldestFirstWithRepliesNamingTheirParent() {
        var ray = newUser("ray"); // owner
        var sue = newUser("sue");
        var ted = newUser("ted"); // reads only
        UUID room = ray.createRoom("threads").id();
        sue.join(room);
        String post = approvedPost(ray, room, "Discuss");
        Instant before = Instant.now().minusSeconds(60);

        ApiResponse response = createComment(sue, post, Map.of("text", "  First!  "));

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode first = response.json();
        assertThat(fieldNames(first)).containsExactlyInAnyOrderElementsOf(COMMENT_FIELDS);
        assertThat(UUID.fromString(id(first)).version()).isEqualTo(7);
        assertThat(first.get("postId").asText()).isEqualTo(post);
        assertThat(first.get("roomId").asText()).isEqualTo(room.toString());
        assertThat(first.get("parentId").isNull()).isTrue();
        assertThat(first.get("author").get("id").asText()).isEqualTo(sue.id().toString());
        assertThat(first.get("author").get("username").asText()).isEqualTo(sue.user().username());
        assertThat(first.get("text").asText()).isEqualTo("First!");
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(Instant.parse(first.get("createdAt").asText())).isBetween(before, Instant.now().plusSeconds(60));

        String second = id(newComment(ray, post, "Second"));
        JsonNode reply = newReply(ray, post, id(first), "Reply to the first");
        assertThat(reply.get("parentId").asText()).isEqualTo(id(first));
        JsonNode nested = newReply(sue, post, id(reply), "Reply to the reply");
        assertThat(nested.get("parentId").asText()).isEqualTo(id(reply));
        List<String> order = List.of(id(first), second, id(reply), id(nested));

        List<JsonNode> seen = eventually(DECISION, () -> {
            List<JsonNode> comments = allComments(ted, post, 100);
            assertThat(ids(comments)).isEqualTo(order);
            assertThat(comments).allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("approved"));
            return comments;
        });
        assertThat(fieldNames(seen.getFirst())).containsExactlyInAnyOrderElementsOf(COMMENT_FIELDS);
        assertThat(seen).extracting(c -> c.get("parentId").isNull() ? null : c.get("parentId").asText())
                .containsExactly(null, null, id(first), id(reply));
        assertThat(seen).allSatisfy(c -> assertThat(c.get("reason").isNull()).isTrue());
        assertThat(ids(allComments(ted, post, 1))).as("one by one").isEqualTo(order);
        assertThat(ids(allComments(ted, post, 3))).isEqualTo(order);
        assertThat(ok(ted, postPath(post)).get("commentCount").asLong()).isEqualTo(4);
    }

    @Test
    void invalidCommentsAre422AndAParentFromAnotherPostIsRefused() {
        var uma = newUser("uma");
        var vic = newUser("vic"); // not a member
        UUID room = uma.createRoom("bad comments").id();
        String post = approvedPost(uma, room, "Here");
        String elsewhere = approvedPost(uma, room, "There");
        String otherComment = id(newComment(uma, elsewhere, "on the other post"));
        UUID otherRoom = uma.createRoom("another room").id();
        String farPost = approvedPost(uma, otherRoom, "Far away");
        String farComment = id(newComment(uma, farPost, "far comment"));

        assertField(createComment(uma, post, Map.of()), "text");
        assertField(createComment(uma, post, Map.of("text", "")), "text");
        assertField(createComment(uma, post, Map.of("text", " \n ")), "text");
        assertField(createComment(uma, post, Map.of("text", "c".repeat(10_001))), "text");
        assertField(createComment(uma, post, "{\"text\": 7}"), "text");
        assertField(createComment(uma, post, Map.of("text", "reply", "parentId", otherComment)), "parentId");
        assertField(createComment(uma, post, Map.of("text", "reply", "parentId", farComment)), "parentId");
        assertField(createComment(uma, post, Map.of("text", "reply", "parentId", UUID.randomUUID().toString())), "parentId");
        assertField(createComment(uma, post, Map.of("text", "reply", "parentId", post)), "parentId");
        assertProblem(createComment(uma, post, "{\"text\": "), 400);
        assertProblem(createComment(vic, post, Map.of("text", "outsider")), 403);

        String longest = id(newComment(uma, post, "c".repeat(10_000)));
        eventually(DECISION, () -> assertThat(ids(allComments(uma, post, 100))).containsExactly(longest));
    }

    @Test
    void commentCountCountsApprovedCommentsOnly() {
        var wes = newUser("wes"); // owner
        var xia = newUser("xia");
        var yul = newUser("yul"); // reads only
        UUID room = wes.createRoom("counting").id();
        xia.join(room);
        String post = approvedPost(wes, room, "Count the comments");

        List<String> fine = new ArrayList<>();
        fine.add(id(newComment(xia, post, "one")));
        fine.add(id(newComment(wes, post, "two")));
        String rejected = id(newComment(xia, post, "I like ORANGE juice"));
        fine.add(id(newComment(xia, post, "three, about an orangery")));

        JsonNode own = awaitComment(xia, post, rejected, "rejected");
        assertThat(own.get("reason").asText()).containsIgnoringCase("orange");
        eventually(DECISION, () -> assertThat(ok(yul, postPath(post)).get("commentCount").asLong()).isEqualTo(3));
        eventually(READ_MODEL, () -> assertThat(ids(allComments(yul, post, 100))).isEqualTo(fine));
        assertThat(ids(allComments(wes, post, 100))).isEqualTo(fine);
        assertThat(ids(allComments(xia, post, 100))).containsExactly(fine.get(0), fine.get(1), rejected, fine.get(2));
        assertThat(allPosts(xia, room, "new", 100).getFirst().get("commentCount").asLong()).isEqualTo(3);
    }

    @Test
    void commentsPageOldestFirstWithACursor() {
        var zed = newUser("zed");
        UUID room = zed.createRoom("long thread").id();
        String post = approvedPost(zed, room, "Many comments");
        List<String> created = IntStream.rangeClosed(1, 105).mapToObj(i -> id(newComment(zed, post, "comment " + i))).toList();

        eventually(Duration.ofSeconds(20), () -> assertThat(allComments(zed, post, 200)).hasSize(105)
                .allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("approved")));

        JsonNode firstPage = ok(zed, commentsPath(post));
        assertThat(ids(firstPage.get("comments"))).isEqualTo(created.subList(0, 100)); // default limit 100
        assertThat(firstPage.get("next").isNull()).isFalse();
        for (int limit : List.of(1, 40, 104, 105, 200)) {
            assertThat(ids(allComments(zed, post, limit))).as("pages of %d", limit).isEqualTo(created);
        }
        assertThat(ok(zed, postPath(post)).get("commentCount").asLong()).isEqualTo(105);
    }

    // ---- deleting ----

    @Test
    void onlyTheAuthorOrTheOwnerMayDeleteAndCommentsGoWithThePost() {
        var ada = newUser("ada"); // owner
        var bob = newUser("bob"); // author
        var cat = newUser("cat"); // another member
        var dov = newUser("dov"); // not a member
        UUID room = ada.createRoom("deleting").id();
        bob.join(room);
        cat.join(room);
        String post = approvedPost(bob, room, "Short-lived");
        String comment = id(newComment(cat, post, "nice"));
        awaitComment(cat, post, comment, "approved");
        String keep = approvedPost(cat, room, "Staying");

        assertProblem(deletePost(cat, post), 403);
        assertProblem(deletePost(dov, post), 403);
        ApiResponse deleted = deletePost(bob, post);

        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        assertProblem(deletePost(bob, post), 404);
        assertProblem(voteCall(cat, post, 1), 404);
        assertProblem(createComment(cat, post, Map.of("text", "too late")), 404);
        for (var user : List.of(ada, bob, cat, dov)) {
            eventually(READ_MODEL, () -> assertProblem(getPost(user, post), 404));
            eventually(READ_MODEL, () -> assertProblem(user.call("GET", commentsPath(post), null), 404));
            for (String sort : List.of("hot", "new", "top")) {
                eventually(READ_MODEL, () -> assertThat(ids(allPosts(user, room, sort, 100))).containsExactly(keep));
            }
        }
    }

    @Test
    void theOwnerMayDeleteAnyPostOfTheRoom() {
        var eva = newUser("eva"); // owner
        var fox = newUser("fox");
        UUID room = eva.createRoom("owner deletes").id();
        fox.join(room);
        String post = approvedPost(fox, room, "Not for long");
        String rejected = id(newPost(fox, room, "An orange post"));
        awaitPost(fox, rejected, "rejected");

        assertThat(deletePost(eva, post).status()).isEqualTo(204);
        assertThat(deletePost(fox, rejected).status()).as("an author deletes their rejected post").isEqualTo(204);

        assertProblem(deletePost(eva, post), 404);
        assertProblem(deletePost(fox, rejected), 404);
        eventually(READ_MODEL, () -> assertProblem(getPost(fox, post), 404));
        eventually(READ_MODEL, () -> assertProblem(getPost(fox, rejected), 404));
        eventually(READ_MODEL, () -> assertThat(allPosts(fox, room, "new", 100)).isEmpty());
    }
}
