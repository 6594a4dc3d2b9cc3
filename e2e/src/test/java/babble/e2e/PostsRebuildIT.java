package babble.e2e;

import static babble.e2e.PostsApi.allComments;
import static babble.e2e.PostsApi.allPosts;
import static babble.e2e.PostsApi.assertProblem;
import static babble.e2e.PostsApi.commentsPath;
import static babble.e2e.PostsApi.decide;
import static babble.e2e.PostsApi.deletePost;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.newComment;
import static babble.e2e.PostsApi.newPost;
import static babble.e2e.PostsApi.newReply;
import static babble.e2e.PostsApi.postPath;
import static babble.e2e.PostsApi.postsPath;
import static babble.e2e.PostsApi.putRules;
import static babble.e2e.PostsApi.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md: "Deleting the query service's store and starting it again rebuilds the same answers by replaying the
 * event streams from the start; the service is not ready until it has caught up." Processes mode, on the deployment
 * the failure tests share ({@link Deployments#failures()}): a room with 200 posts and 300 comments, votes given,
 * changed and withdrawn, items rejected by the rules, held, approved and overturned by the owner, posts deleted.
 * Every answer the read model gives (each page of each sort, each post, each comment list, as each of three users)
 * is recorded; then the query service's store is deleted and the service started again, and the moment the
 * deployment is ready again every answer must be identical.
 */
@UsesFailuresDeployment
class PostsRebuildIT {
    private static final String QUERY = "query";
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String[] SORTS = {"hot", "new", "top"};

    private static LocalDeployment deployment;
    private static World world;
    private static Map<String, JsonNode> baseline;

    @BeforeAll
    static void buildTheCommunity() {
        assumeTrue(Deployments.mode().equals("processes"),
                "processes mode only: the test deletes the query service's PostgreSQL database");
        deployment = Deployments.failures();
        world = World.build(new BabbleClient(deployment.baseUrl()));
        baseline = snapshot(world);
        PostsApi.sleep(1_000);
        Map<String, JsonNode> again = snapshot(world);
        assertThat(differences(baseline, again))
                .as("the read model gives the same answers twice in a row when nothing changes (else this test cannot work)")
                .isEmpty();
        System.out.printf("POSTS REBUILD: recorded %d answers (%d posts, %d comments, %d votes cast)%n", baseline.size(),
                world.posts.size(), world.posts.stream().mapToInt(p -> p.comments.size()).sum(), world.votesCast);
    }

    @Test
    void deletingTheQueryStoreAndStartingItAgainRebuildsEveryAnswerExactly() {
        var side = world.ann.createRoom("written while the read model is gone").id();

        deployment.stopService(QUERY);
        ApiResponse whileDown = world.cy.call("GET", postsPath(world.room), null);
        String writtenWhileDown = newPost(world.ann, side, "Posted while the query service is down").get("id").asText();
        assertThat(deployment.dropDatabase(QUERY)).as("the query service had a database %s", deployment.databaseOf(QUERY))
                .isTrue();
        long started = System.nanoTime();
        deployment.startService(QUERY);
        Duration ready = deployment.awaitReady(Duration.ofMinutes(3));
        Map<String, JsonNode> rebuilt = snapshot(world); // at once: ready means caught up

        report("drop database " + deployment.databaseOf(QUERY), ready, (System.nanoTime() - started) / 1_000_000);
        assertThat(differences(baseline, rebuilt)).as("answers that differ after the rebuild").isEmpty();
        assertProblem(whileDown, 503);
        assertThat(whileDown.header("Retry-After")).as("a 503 says when to retry").isNotNull();
        eventually(PostsApi.DECISION, () -> assertThat(PostsApi.ids(allPosts(world.cy, side, "new", 100)))
                .containsExactly(writtenWhileDown));
    }

    @Test
    void theLaunchersRebuildCommandGivesTheSameAnswersToo() {
        long started = System.nanoTime();
        deployment.console("rebuild " + QUERY); // stop, empty its store, start (the launcher's own way)
        Duration ready = deployment.awaitReady(Duration.ofMinutes(3));
        Map<String, JsonNode> rebuilt = snapshot(world);

        report("console rebuild", ready, (System.nanoTime() - started) / 1_000_000);
        assertThat(differences(baseline, rebuilt)).as("answers that differ after the rebuild").isEmpty();
    }

    private static void report(String how, Duration ready, long totalMs) {
        System.out.printf("POSTS REBUILD (%s): ready %d ms after the start, %d ms in all; %d answers compared%n",
                how, ready.toMillis(), totalMs, baseline.size());
    }

    // ---- the snapshot ----

    /**
     * Every answer of the read model about the room, as each user sees it: every page of each sort (default and
     * largest page size), each post (deleted ones too: their 404), and each post's comments.
     */
    private static Map<String, JsonNode> snapshot(World w) {
        var answers = new LinkedHashMap<String, JsonNode>();
        for (var viewer : w.viewers().entrySet()) {
            UserSession user = viewer.getValue();
            for (String sort : SORTS) {
                record(answers, viewer.getKey(), user, postsPath(w.room) + "?sort=" + sort, "posts");
                record(answers, viewer.getKey(), user, postsPath(w.room) + "?sort=" + sort + "&limit=100", "posts");
                record(answers, viewer.getKey(), user, postsPath(w.room) + "?sort=" + sort + "&limit=7", "posts");
            }
            boolean everyPost = !viewer.getKey().equals("cy"); // two users read each post and thread
            for (Post post : w.posts) {
                if (everyPost || post.id.hashCode() % 4 == 0) {
                    record(answers, viewer.getKey(), user, postPath(post.id), null);
                    record(answers, viewer.getKey(), user, commentsPath(post.id) + "?limit=200", "comments");
                    if (post.comments.size() > 2) {
                        record(answers, viewer.getKey(), user, commentsPath(post.id) + "?limit=2", "comments");
                    }
                }
            }
        }
        return answers;
    }

    /** Records the answer at {@code path}, and when it is a page ({@code field}), every following page too. */
    private static void record(Map<String, JsonNode> answers, String viewer, UserSession user, String path, String field) {
        String page = path;
        for (int n = 0; n < 1_000; n++) {
            ApiResponse response = get(user, page);
            JsonNode answer = response.status() == 200 ? response.json() : TextNode.valueOf("HTTP " + response.status());
            answers.put(viewer + " GET " + page, answer);
            if (field == null || response.status() != 200 || answer.path("next").isNull() || answer.path("next").isMissingNode()) {
                return;
            }
            String separator = path.contains("?") ? "&" : "?";
            page = path + separator + "cursor=" + URLEncoder.encode(answer.get("next").asText(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("the pages of " + path + " never end");
    }

    /** A GET that waits out 429 (the rate limit: a snapshot is many calls) and 503 (a service coming back). */
    private static ApiResponse get(UserSession user, String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ApiResponse response = user.call("GET", path, null);
            if ((response.status() != 429 && response.status() != 503) || System.nanoTime() > deadline) {
                return response;
            }
            String retryAfter = response.header("Retry-After");
            PostsApi.sleep(Math.min(2_000, 1_000L * Long.parseLong(retryAfter == null ? "1" : retryAfter.strip())));
        }
    }

    private static List<String> differences(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        var out = new ArrayList<String>();
        for (var entry : before.entrySet()) {
            JsonNode now = after.get(entry.getKey());
            if (!Objects.equals(entry.getValue(), now)) {
                out.add(entry.getKey() + "\n  before: " + abbreviate(entry.getValue()) + "\n  after:  " + abbreviate(now));
            }
        }
        for (String key : after.keySet()) {
            if (!before.containsKey(key)) {
                out.add(key + " was not asked before (a different cursor or page): " + abbreviate(after.get(key)));
            }
        }
        return out.size() > 20 ? out.subList(0, 20) : out;
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    // ---- the community it rebuilds ----

    private static final class Post {
        final String id;
        final UserSession author;
        String status;
        final Map<UUID, Integer> votes = new HashMap<>();
        final List<Comment> comments = new ArrayList<>();
        boolean deleted;

        Post(String id, UserSession author, String status) {
            this.id = id;
            this.author = author;
            this.status = status;
        }

        long score() {
            return votes.values().stream().mapToLong(Integer::longValue).sum();
        }

        long approvedComments() {
            return comments.stream().filter(c -> c.status.equals("approved")).count();
        }

        boolean visibleTo(UserSession viewer) {
            return !deleted && (status.equals("approved") || author.id().equals(viewer.id()));
        }
    }

    private static final class Comment {
        final String id;
        final UserSession author;
        String status;

        Comment(String id, UserSession author, String status) {
            this.id = id;
            this.author = author;
            this.status = status;
        }
    }

    /** What the test wrote, and so what every answer must show. */
    private static final class World {
        final Random random = new Random(2002);
        final UserSession ann; // the owner
        final UserSession ben;
        final UserSession cy;
        final UUID room;
        final List<Post> posts = new ArrayList<>();
        int votesCast;

        private World(UserSession ann, UserSession ben, UserSession cy, UUID room) {
            this.ann = ann;
            this.ben = ben;
            this.cy = cy;
            this.room = room;
        }

        Map<String, UserSession> viewers() {
            var out = new LinkedHashMap<String, UserSession>();
            out.put("ann", ann);
            out.put("ben", ben);
            out.put("cy", cy);
            return out;
        }

        List<Post> approved() {
            return posts.stream().filter(p -> !p.deleted && p.status.equals("approved")).toList();
        }

        static World build(BabbleClient client) {
            var ann = client.signUp(E2E.uniqueName("ann"), E2E.PASSWORD);
            var ben = client.signUp(E2E.uniqueName("ben"), E2E.PASSWORD);
            var cy = client.signUp(E2E.uniqueName("cy"), E2E.PASSWORD);
            UUID room = ann.createRoom("rebuild me").id();
            ben.join(room);
            cy.join(room);
            putRules(ann, room, List.of(), List.of("mango"), false);
            var w = new World(ann, ben, cy, room);
            w.writePosts();
            w.awaitSettled();
            w.decidePosts();
            w.awaitSettled();
            w.writeComments();
            w.decideComments();
            w.castVotes();
            w.deleteSome();
            w.awaitSettled();
            return w;
        }

        /** 200 posts by ann and ben: 40 with "orange" (rejected), 10 of ben's with "mango" (held). */
        void writePosts() {
            for (int i = 0; i < 200; i++) {
                UserSession author = i % 2 == 0 ? ann : ben;
                String status = "approved";
                String title = "Post number " + i;
                if (i % 10 == 3 || i % 10 == 4) {
                    title += " about orange";
                    status = "rejected";
                } else if (i % 20 == 7) {
                    title += " about mango";
                    status = "held";
                }
                var body = new LinkedHashMap<String, Object>();
                body.put("title", title);
                if (i % 3 == 0) {
                    body.put("body", "Body of post " + i + "\nwith a second line");
                }
                if (i % 4 == 0) {
                    body.put("url", "https://example.com/posts/" + i);
                }
                if (i % 5 == 0) {
                    body.put("tags", List.of("tag" + i % 7, "Rebuild"));
                }
                JsonNode post = newPost(author, room, body);
                assertThat(post.get("status").asText()).isEqualTo("pending");
                posts.add(new Post(post.get("id").asText(), author, status));
            }
        }

        /** The owner approves 4 held posts, rejects 3 and leaves 3; overturns 3 approved and 2 rejected ones. */
        void decidePosts() {
            List<Post> held = posts.stream().filter(p -> p.status.equals("held")).toList();
            for (int i = 0; i < 7; i++) {
                Post post = held.get(i);
                boolean approve = i < 4;
                decide(ann, "post", post.id, approve ? "approve" : "reject", approve ? null : "not now");
                post.status = approve ? "approved" : "rejected";
            }
            posts.stream().filter(p -> p.status.equals("approved") && p.author == ben).limit(3).forEach(p -> {
                decide(ann, "post", p.id, "reject", "overturned");
                p.status = "rejected";
            });
            posts.stream().filter(p -> p.status.equals("rejected") && p.author == ann).limit(2).forEach(p -> {
                decide(ann, "post", p.id, "approve", "fine after all");
                p.status = "approved";
            });
        }

        /** 300 comments on approved posts by all three, a fifth of them replies: 30 rejected, 12 held. */
        void writeComments() {
            List<Post> open = approved();
            UserSession[] users = {ann, ben, cy};
            for (int j = 0; j < 300; j++) {
                Post post = open.get(random.nextInt(open.size()));
                UserSession author = users[j % 3];
                String text = "Comment number " + j;
                String status = "approved";
                if (j % 10 == 5) {
                    author = ben;
                    text += ", orange";
                    status = "rejected";
                } else if (j % 25 == 9) {
                    author = ben;
                    text += ", mango";
                    status = "held";
                }
                JsonNode comment;
                if (j % 5 == 2 && !post.comments.isEmpty()) {
                    String parent = post.comments.get(random.nextInt(post.comments.size())).id;
                    comment = newReply(author, post.id, parent, text);
                    assertThat(comment.get("parentId").asText()).isEqualTo(parent);
                } else {
                    comment = newComment(author, post.id, text);
                }
                assertThat(comment.get("status").asText()).isEqualTo("pending");
                post.comments.add(new Comment(comment.get("id").asText(), author, status));
            }
        }

        /** The owner approves half the held comments and rejects two approved ones of cy's. */
        void decideComments() {
            List<Comment> held = posts.stream().flatMap(p -> p.comments.stream()).filter(c -> c.status.equals("held")).toList();
            for (int i = 0; i < held.size() / 2; i++) {
                decide(ann, "comment", held.get(i).id, "approve", null);
                held.get(i).status = "approved";
            }
            posts.stream().flatMap(p -> p.comments.stream()).filter(c -> c.status.equals("approved") && c.author == cy)
                    .limit(2).forEach(c -> {
                        decide(ann, "comment", c.id, "reject", "overturned");
                        c.status = "rejected";
                    });
        }

        /** 100 votes by each user on approved posts, then 30 changes and withdrawals. */
        void castVotes() {
            List<Post> open = approved();
            for (UserSession voter : List.of(ann, ben, cy)) {
                for (int k = 0; k < 100; k++) {
                    castVote(voter, open.get(random.nextInt(open.size())), random.nextBoolean() ? 1 : -1);
                }
            }
            for (int k = 0; k < 30; k++) {
                UserSession voter = List.of(ann, ben, cy).get(random.nextInt(3));
                castVote(voter, open.get(random.nextInt(open.size())), random.nextInt(3) - 1);
            }
        }

        private void castVote(UserSession voter, Post post, int value) {
            JsonNode answer = vote(voter, post.id, value);
            if (value == 0) {
                post.votes.remove(voter.id());
            } else {
                post.votes.put(voter.id(), value);
            }
            votesCast++;
            assertThat(answer.get("score").asLong()).as("the write side's score of %s", post.id).isEqualTo(post.score());
            assertThat(answer.get("myVote").asInt()).isEqualTo(value);
        }

        /** Five posts with comments go: three by their authors, two of ben's by the owner. */
        void deleteSome() {
            List<Post> withComments = approved().stream().filter(p -> !p.comments.isEmpty()).toList();
            List<Post> byAuthor = withComments.subList(0, 3);
            List<Post> byOwner = withComments.stream().skip(3).filter(p -> p.author == ben).limit(2).toList();
            for (Post post : byAuthor) {
                assertThat(deletePost(post.author, post.id).status()).isEqualTo(204);
                post.deleted = true;
            }
            for (Post post : byOwner) {
                assertThat(deletePost(ann, post.id).status()).isEqualTo(204);
                post.deleted = true;
            }
        }

        /** Waits until the read model shows exactly what was written: every post, status, score, count and comment. */
        void awaitSettled() {
            for (var viewer : viewers().values()) {
                eventually(SETTLE, () -> {
                    Map<String, JsonNode> listed = new HashMap<>();
                    allPosts(viewer, room, "new", 100).forEach(p -> listed.put(p.get("id").asText(), p));
                    List<Post> expected = posts.stream().filter(p -> p.visibleTo(viewer)).toList();
                    assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(p -> p.id).toList());
                    for (Post post : expected) {
                        JsonNode seen = listed.get(post.id);
                        assertThat(seen.get("status").asText()).as("status of %s", post.id).isEqualTo(post.status);
                        assertThat(seen.get("score").asLong()).as("score of %s", post.id).isEqualTo(post.score());
                        assertThat(seen.get("myVote").asInt()).as("myVote on %s", post.id)
                                .isEqualTo(post.votes.getOrDefault(viewer.id(), 0));
                        assertThat(seen.get("commentCount").asLong()).as("commentCount of %s", post.id)
                                .isEqualTo(post.approvedComments());
                    }
                });
            }
            for (Post post : posts) {
                if (post.deleted || post.comments.isEmpty() || !post.visibleTo(ben)) {
                    continue;
                }
                eventually(SETTLE, () -> {
                    List<JsonNode> seen = allComments(ben, post.id, 200);
                    List<Comment> expected = post.comments.stream()
                            .filter(c -> c.status.equals("approved") || c.author == ben).toList();
                    assertThat(PostsApi.ids(seen)).as("comments of %s as ben sees them", post.id)
                            .isEqualTo(expected.stream().map(c -> c.id).toList());
                    for (int i = 0; i < expected.size(); i++) {
                        assertThat(seen.get(i).get("status").asText()).isEqualTo(expected.get(i).status);
                    }
                });
            }
            for (Post post : posts) {
                if (post.deleted) {
                    eventually(SETTLE, () -> assertProblem(ann.call("GET", postPath(post.id), null), 404));
                }
            }
        }
    }
}
