package babble.e2e;

import static babble.e2e.PostsApi.DECISION;
import static babble.e2e.PostsApi.READ_MODEL;
import static babble.e2e.PostsApi.allComments;
import static babble.e2e.PostsApi.allPosts;
import static babble.e2e.PostsApi.assertProblem;
import static babble.e2e.PostsApi.awaitPost;
import static babble.e2e.PostsApi.createComment;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.getPost;
import static babble.e2e.PostsApi.historyPath;
import static babble.e2e.PostsApi.ids;
import static babble.e2e.PostsApi.newPost;
import static babble.e2e.PostsApi.ok;
import static babble.e2e.PostsApi.postPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moderation is asynchronous, so it may be down while people write: processes mode, the moderation service killed
 * (kill -9, as {@link FailureIT} kills messages). Comments written meanwhile are accepted (201, pending), stay
 * invisible to others, and once the service is back each is decided exactly once (one "rules" entry in its
 * history) within 30 s, even when the service dies again halfway through the backlog.
 */
@UsesFailuresDeployment
class ModerationFailureIT {
    private static final String MODERATION = "moderation";
    private static final Duration BACKLOG = Duration.ofSeconds(30);

    private static LocalDeployment deployment;
    private static BabbleClient client;

    @BeforeAll
    static void start() {
        assumeTrue(Deployments.mode().equals("processes"), "processes mode only: kills the moderation service's process");
        deployment = Deployments.failures();
        client = new BabbleClient(deployment.baseUrl());
    }

    private static UserSession user(String prefix) {
        return client.signUp(E2E.uniqueName(prefix), E2E.PASSWORD);
    }


    /** Every tenth comment has the blocked word, so the rules reject it; the others are approved. */
    private static String text(int i) {
        return i % 10 == 0 ? "comment " + i + " about an orange" : "comment " + i;
    }

    private static String expectedStatus(int i) {
        return i % 10 == 0 ? "rejected" : "approved";
    }

    /** Writes {@code count} comments while moderation is down: each 201 and pending. Answers id → number. */
    private static Map<String, Integer> commentWhileDown(UserSession author, String post, int count, String keys) {
        var written = new LinkedHashMap<String, Integer>();
        for (int i = 1; i <= count; i++) {
            ApiResponse response = createComment(author, post, Map.of("text", text(i)), keys + "-" + i);
            assertThat(response.status()).as("comment %d while moderation is down: %s", i, response.text()).isEqualTo(201);
            assertThat(response.json().get("status").asText()).isEqualTo("pending");
            written.put(response.json().get("id").asText(), i);
        }
        return written;
    }

    /** Whether the author can read a decision in the comment's history. */
    private static boolean decided(UserSession author, String comment) {
        ApiResponse response = author.call("GET", historyPath("comment", comment), null);
        return response.status() == 200 && !response.json().get("history").isEmpty();
    }

    /** Waits until every comment has a decision; checks them in order, stopping at the first undecided one. */
    private static void awaitEveryDecision(UserSession author, Iterable<String> comments, Duration within) {
        var undecided = new LinkedHashSet<String>();
        comments.forEach(undecided::add);
        eventually(within, () -> {
            for (var it = undecided.iterator(); it.hasNext(); ) {
                String comment = it.next();
                if (!decided(author, comment)) {
                    throw new AssertionError(undecided.size() + " comments not decided yet, the first " + comment);
                }
                it.remove();
            }
        });
    }

    /** Each comment's history has exactly one entry, by the rules, with the expected status; the read model agrees. */
    private static void assertDecidedOnce(UserSession author, UserSession reader, String post, Map<String, Integer> written) {
        PostsApi.sleep(2_000); // a decision made twice (a redelivered event) would show by now
        var problems = new ArrayList<String>();
        written.forEach((comment, i) -> {
            List<JsonNode> history = new ArrayList<>();
            PostsApi.ok(author, historyPath("comment", comment)).get("history").forEach(history::add);
            long byRules = history.stream().filter(e -> e.get("by").asText().equals("rules")).count();
            if (history.size() != 1 || byRules != 1 || !history.getFirst().get("status").asText().equals(expectedStatus(i))) {
                problems.add("comment " + i + ": " + history);
            }
        });
        assertThat(problems).as("comments not decided exactly once by the rules").isEmpty();

        List<String> approved = written.entrySet().stream().filter(e -> expectedStatus(e.getValue()).equals("approved"))
                .map(Map.Entry::getKey).toList();
        eventually(DECISION, () -> assertThat(ids(allComments(reader, post, 200))).isEqualTo(approved));
        eventually(READ_MODEL, () -> assertThat(ok(reader, postPath(post)).get("commentCount").asLong())
                .isEqualTo(approved.size()));
        eventually(READ_MODEL, () -> {
            List<JsonNode> own = allComments(author, post, 200);
            assertThat(ids(own)).isEqualTo(List.copyOf(written.keySet()));
            for (JsonNode comment : own) {
                assertThat(comment.get("status").asText()).isEqualTo(expectedStatus(written.get(comment.get("id").asText())));
            }
        });
    }

    @Test
    void commentsWrittenWhileModerationIsDeadAreEachDecidedOnceWhenItReturns() {
        var ann = user("ann"); // owner
        var ben = user("ben"); // writes while moderation is down
        var cy = user("cy");   // reads
        UUID room = ann.createRoom("moderation down").id();
        ben.join(room);
        String post = newPost(ann, room, "Talk among yourselves").get("id").asText();
        awaitPost(ann, post, "approved");

        deployment.console("kill " + MODERATION); // kill -9
        Map<String, Integer> written;
        String pendingPost;
        long down = System.nanoTime();
        try {
            written = commentWhileDown(ben, post, 100, "down");
            pendingPost = newPost(ben, room, "A post nobody has judged").get("id").asText();
            long writeMs = (System.nanoTime() - down) / 1_000_000;
            System.out.printf("100 comments and a post written in %d ms with moderation down%n", writeMs);

            // Nothing is decided while moderation is dead: the author sees the comments pending, nobody else sees them.
            eventually(READ_MODEL, () -> {
                List<JsonNode> own = allComments(ben, post, 200);
                assertThat(ids(own)).isEqualTo(List.copyOf(written.keySet()));
                own.forEach(c -> assertThat(c.get("status").asText()).isEqualTo("pending"));
            });
            assertThat(allComments(cy, post, 200)).isEmpty();
            assertThat(ok(cy, postPath(post)).get("commentCount").asLong()).isZero();
            eventually(READ_MODEL, () -> assertThat(ok(ben, postPath(pendingPost)).get("status").asText()).isEqualTo("pending"));
            assertProblem(getPost(cy, pendingPost), 404);
            assertThat(ids(allPosts(cy, room, "new", 100))).containsExactly(post);
        } finally {
            deployment.console("start " + MODERATION);
        }
        long started = System.nanoTime();

        awaitEveryDecision(ben, written.keySet(), BACKLOG);
        long decidedMs = (System.nanoTime() - started) / 1_000_000;
        awaitPost(cy, pendingPost, "approved");
        assertDecidedOnce(ben, cy, post, written);
        E2E.reportFailureTest("kill -9 moderation", Map.of("comments_while_down", written.size(), "all_decided_ms_after_start", decidedMs));
    }

    @Test
    void dyingAgainHalfwayThroughTheBacklogStillDecidesEachCommentOnce() {
        var dee = user("dee"); // owner
        var eli = user("eli");
        var fay = user("fay");
        UUID room = dee.createRoom("moderation down twice").id();
        eli.join(room);
        String post = newPost(dee, room, "Again and again").get("id").asText();
        awaitPost(dee, post, "approved");

        deployment.console("kill " + MODERATION);
        Map<String, Integer> written;
        try {
            written = commentWhileDown(eli, post, 200, "twice");
        } finally {
            deployment.console("start " + MODERATION);
        }
        // Kill it again as soon as it has decided the first few of the backlog, then bring it back for good.
        List<String> ids = List.copyOf(written.keySet());
        awaitEveryDecision(eli, ids.subList(0, 5), BACKLOG);
        deployment.console("kill " + MODERATION);
        long decidedBeforeSecondKill = allComments(eli, post, 200).stream() // as the read model has it: roughly
                .filter(c -> !c.get("status").asText().equals("pending")).count();
        deployment.console("start " + MODERATION);
        long started = System.nanoTime();

        awaitEveryDecision(eli, ids, BACKLOG);
        long decidedMs = (System.nanoTime() - started) / 1_000_000;
        assertDecidedOnce(eli, fay, post, written);
        E2E.reportFailureTest("kill -9 moderation twice", Map.of("comments_while_down", written.size(),
                "decided_before_second_kill", decidedBeforeSecondKill, "all_decided_ms_after_restart", decidedMs));
    }
}
