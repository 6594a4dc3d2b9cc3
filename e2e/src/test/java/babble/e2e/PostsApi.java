package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * API.md, "Posts, comments, votes and moderation" as raw calls (the tests check shapes, so they read JSON, not
 * records), and {@link #eventually} for reads that come from the query read model: it follows the write side by
 * events, so a read right after a write may not show it yet. Never assert on such a read without it.
 */
final class PostsApi {
    /** How long a read-after-write may take to show (the contract: usually a few milliseconds). */
    static final Duration READ_MODEL = Duration.ofSeconds(5);
    /** How long moderation may take to decide a new item by the rules ("within moments"), plus the read model. */
    static final Duration DECISION = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 25;

    static final String V1 = "/api/v1";

    private PostsApi() {
    }

    // ---- waiting for the read model ----

    /** Runs {@code attempt} every 25 ms until it passes (no exception or assertion error); fails after {@code timeout}. */
    static void eventually(Duration timeout, Runnable attempt) {
        eventually(timeout, () -> {
            attempt.run();
            return Boolean.TRUE;
        });
    }

    /** Calls {@code attempt} every 25 ms until it answers without failing, and gives that answer. */
    static <T> T eventually(Duration timeout, Supplier<T> attempt) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int tries = 0;
        while (true) {
            Throwable last;
            tries++;
            try {
                return attempt.get();
            } catch (AssertionError | RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("still failing after " + timeout + " (" + tries + " tries): " + last.getMessage(), last);
            }
            sleep(POLL_MILLIS);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- paths ----

    static String postsPath(UUID room) {
        return V1 + "/rooms/" + room + "/posts";
    }

    static String postPath(String postId) {
        return V1 + "/posts/" + postId;
    }

    static String commentsPath(String postId) {
        return postPath(postId) + "/comments";
    }

    static String rulesPath(UUID room) {
        return V1 + "/rooms/" + room + "/moderation/rules";
    }

    static String queuePath(UUID room) {
        return V1 + "/rooms/" + room + "/moderation/queue";
    }

    static String decisionPath(String kind, String id) {
        return V1 + "/moderation/" + kind + "/" + id;
    }

    static String historyPath(String kind, String id) {
        return decisionPath(kind, id) + "/history";
    }

    // ---- writes ----

    /** {@code POST /rooms/{id}/posts} with any body (a Map, or raw JSON text). */
    static ApiResponse createPost(UserSession user, UUID room, Object body) {
        return user.call("POST", postsPath(room), body);
    }

    static ApiResponse createPost(UserSession user, UUID room, Object body, String idempotencyKey) {
        return user.call("POST", postsPath(room), body, Map.of("Idempotency-Key", idempotencyKey));
    }

    /** A new post with just a title: asserts the 201 and answers the post as written (pending). */
    static JsonNode newPost(UserSession user, UUID room, String title) {
        return newPost(user, room, Map.of("title", title));
    }

    static JsonNode newPost(UserSession user, UUID room, Map<String, ?> body) {
        ApiResponse response = createPost(user, room, body);
        assertThat(response.status()).as("POST posts %s: %s", body, response.text()).isEqualTo(201);
        return response.json();
    }

    static ApiResponse createComment(UserSession user, String postId, Object body) {
        return user.call("POST", commentsPath(postId), body);
    }

    static ApiResponse createComment(UserSession user, String postId, Object body, String idempotencyKey) {
        return user.call("POST", commentsPath(postId), body, Map.of("Idempotency-Key", idempotencyKey));
    }

    /** A new top-level comment: asserts the 201 and answers the comment as written (pending). */
    static JsonNode newComment(UserSession user, String postId, String text) {
        return newComment(user, postId, Map.of("text", text));
    }

    /** A new reply to the comment {@code parentId}. */
    static JsonNode newReply(UserSession user, String postId, String parentId, String text) {
        return newComment(user, postId, Map.of("text", text, "parentId", parentId));
    }

    static JsonNode newComment(UserSession user, String postId, Map<String, ?> body) {
        ApiResponse response = createComment(user, postId, body);
        assertThat(response.status()).as("POST comments %s: %s", body, response.text()).isEqualTo(201);
        return response.json();
    }

    static ApiResponse voteCall(UserSession user, String postId, Object value) {
        var body = new HashMap<String, Object>();
        body.put("value", value);
        return user.call("PUT", postPath(postId) + "/vote", body);
    }

    /** {@code PUT /posts/{id}/vote}: asserts the 200 and answers {@code {"score","myVote"}}. */
    static JsonNode vote(UserSession user, String postId, int value) {
        ApiResponse response = voteCall(user, postId, value);
        assertThat(response.status()).as("vote %d: %s", value, response.text()).isEqualTo(200);
        return response.json();
    }

    static ApiResponse deletePost(UserSession user, String postId) {
        return user.call("DELETE", postPath(postId), null);
    }

    static ApiResponse decideCall(UserSession owner, String kind, String id, String decision, String reason) {
        var body = new LinkedHashMap<String, Object>();
        body.put("decision", decision);
        if (reason != null) {
            body.put("reason", reason);
        }
        return owner.call("PUT", decisionPath(kind, id), body);
    }

    /**
     * The owner's decision, once moderation has decided the item itself (until then the call is 404): answers
     * {@code {"kind","id","postId","roomId","status","reason"}}.
     */
    static JsonNode decide(UserSession owner, String kind, String id, String decision, String reason) {
        return eventually(DECISION, () -> {
            ApiResponse response = decideCall(owner, kind, id, decision, reason);
            assertThat(response.status()).as("decide %s %s: %s", kind, id, response.text()).isEqualTo(200);
            return response.json();
        });
    }

    /** {@code PUT /rooms/{id}/moderation/rules}: asserts the 200. */
    static JsonNode putRules(UserSession owner, UUID room, List<String> blocked, List<String> hold, boolean holdAll) {
        ApiResponse response = owner.call("PUT", rulesPath(room),
                Map.of("blockedWords", blocked, "holdWords", hold, "holdAll", holdAll));
        assertThat(response.status()).as("PUT rules: %s", response.text()).isEqualTo(200);
        return response.json();
    }

    // ---- reads ----

    static ApiResponse getPost(UserSession user, String postId) {
        return user.call("GET", postPath(postId), null);
    }

    /** A 200 answer's JSON. */
    static JsonNode ok(UserSession user, String path) {
        ApiResponse response = user.call("GET", path, null);
        assertThat(response.status()).as("GET %s: %s", path, response.text()).isEqualTo(200);
        return response.json();
    }

    /** Every post the user sees in the room, following {@code next} page by page. */
    static List<JsonNode> allPosts(UserSession user, UUID room, String sort, int limit) {
        return everyPage(user, postsPath(room) + "?sort=" + sort + "&limit=" + limit, "posts");
    }

    /** Every comment of the post the user sees, oldest first, following {@code next}. */
    static List<JsonNode> allComments(UserSession user, String postId, int limit) {
        return everyPage(user, commentsPath(postId) + "?limit=" + limit, "comments");
    }

    /** Follows the cursors from {@code firstPage} (which has a query already) to the last page. */
    static List<JsonNode> everyPage(UserSession user, String firstPage, String field) {
        var all = new ArrayList<JsonNode>();
        String path = firstPage;
        for (int pages = 0; pages < 10_000; pages++) {
            JsonNode page = ok(user, path);
            page.get(field).forEach(all::add);
            JsonNode next = page.get("next");
            assertThat(next).as("every page has next (null on the last)").isNotNull();
            if (next.isNull()) {
                return all;
            }
            path = firstPage + "&cursor=" + java.net.URLEncoder.encode(next.asText(), java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new AssertionError("the pages of " + firstPage + " never end");
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("id").asText()).toList();
    }

    static List<String> ids(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    /** The post as {@code viewer} reads it once it has {@code status} (the author sees every status of their own). */
    static JsonNode awaitPost(UserSession viewer, String postId, String status) {
        return eventually(DECISION, () -> {
            ApiResponse response = getPost(viewer, postId);
            assertThat(response.status()).as("GET post: %s", response.text()).isEqualTo(200);
            JsonNode post = response.json();
            assertThat(post.get("status").asText()).as("status of post %s", postId).isEqualTo(status);
            return post;
        });
    }

    /** The comment as {@code viewer} reads it in the post's comments once it has {@code status}. */
    static JsonNode awaitComment(UserSession viewer, String postId, String commentId, String status) {
        return eventually(DECISION, () -> {
            JsonNode comment = allComments(viewer, postId, 200).stream()
                    .filter(c -> c.get("id").asText().equals(commentId)).findFirst()
                    .orElseThrow(() -> new AssertionError("comment " + commentId + " not listed yet"));
            assertThat(comment.get("status").asText()).as("status of comment %s", commentId).isEqualTo(status);
            return comment;
        });
    }

    /** The moderation history of an item, as {@code user} may read it (asserts the 200). */
    static List<JsonNode> history(UserSession user, String kind, String id) {
        var out = new ArrayList<JsonNode>();
        ok(user, historyPath(kind, id)).get("history").forEach(out::add);
        return out;
    }

    // ---- problems ----

    private static final Map<Integer, String> KINDS = Map.of(400, "bad-request", 401, "unauthorized", 403, "forbidden",
            404, "not-found", 409, "conflict", 413, "payload-too-large", 422, "invalid-field");

    /** A problem+json answer with this status and its problem type. */
    static void assertProblem(ApiResponse response, int status) {
        AccountsIT.assertProblem(response, status);
        String kind = KINDS.get(status);
        if (kind != null) {
            assertThat(response.json().get("type").asText()).isEqualTo("https://babble.dev/problems/" + kind);
        }
    }

    /**
     * A 422 whose {@code errors} name {@code field} ({@code tags[2]} or {@code tags.2} also count for {@code tags}:
     * the contract names the field, not how an element of it is written).
     */
    static void assertField(ApiResponse response, String field) {
        assertProblem(response, 422);
        JsonNode errors = response.json().get("errors");
        assertThat(errors).as("errors of %s", response.text()).isNotNull();
        var fields = new ArrayList<String>();
        errors.forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as("fields named by %s", response.text())
                .anyMatch(f -> f.equals(field) || f.startsWith(field + "[") || f.startsWith(field + "."));
        errors.forEach(e -> assertThat(e.path("message").asText()).as("message of %s", e).isNotBlank());
    }
}
