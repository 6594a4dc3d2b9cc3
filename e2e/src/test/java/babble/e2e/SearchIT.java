package babble.e2e;

import static babble.e2e.PostsApi.DECISION;
import static babble.e2e.PostsApi.V1;
import static babble.e2e.PostsApi.awaitComment;
import static babble.e2e.PostsApi.awaitPost;
import static babble.e2e.PostsApi.deletePost;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.newComment;
import static babble.e2e.PostsApi.newPost;
import static babble.e2e.PostsApi.ok;
import static babble.e2e.PostsApi.putRules;
import static babble.e2e.PostsApi.vote;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * API.md, "Topics": {@code GET /search} and {@code GET /posts/{id}/similar} against a running deployment. Each test
 * searches for words made up for it, so what other tests write never matches. The index is fed by events, so a
 * search right after a write waits with {@link PostsApi#eventually}; what must never be found is checked after
 * something written later has been found (events of one stream are applied in order). With several search
 * replicas, each with its own index, a user's searches all go to one of them, so a later search never shows an older
 * state than an earlier one; another user's may go to a replica further behind.
 */
class SearchIT extends E2E {
    private static final List<String> RESULT_FIELDS = List.of("kind", "id", "roomId", "postId", "title", "text",
            "highlights", "titleHighlights", "author", "score", "votes", "createdAt");

    /** A made-up word no other test uses (letters only, so no analyzer splits it). */
    private static String word() {
        var letters = new StringBuilder("zq");
        UUID.randomUUID().toString().replace("-", "").chars().limit(10)
                .forEach(c -> letters.append((char) ('a' + Character.digit(c, 16) % 26)));
        return letters.toString();
    }

    private static String tag() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String q(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static ApiResponse search(UserSession user, String query, String more) {
        return user.call("GET", V1 + "/search?q=" + q(query) + more, null);
    }

    private static JsonNode found(UserSession user, String query, String more) {
        ApiResponse response = search(user, query, more);
        assertThat(response.status()).as("search %s%s: %s", query, more, response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<String> ids(JsonNode page) {
        var out = new ArrayList<String>();
        page.get("results").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    /** Waits until searching {@code query} finds exactly {@code expected} (in any order). */
    private static JsonNode awaitExactly(UserSession user, String query, String more, String... expected) {
        return eventually(DECISION, () -> {
            JsonNode page = found(user, query, more);
            assertThat(ids(page)).as("search %s%s", query, more).containsExactlyInAnyOrder(expected);
            return page;
        });
    }

    private static String approvedPost(UserSession author, UUID room, Map<String, ?> body) {
        String id = newPost(author, room, body).get("id").asText();
        awaitPost(author, id, "approved");
        return id;
    }

    private static String marked(String text, JsonNode ranges) {
        var out = new ArrayList<String>();
        ranges.forEach(r -> out.add(text.substring(r.get(0).asInt(), r.get(1).asInt())));
        return String.join("|", out);
    }

    private void assertProblem(ApiResponse response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("content type").startsWith("application/problem+json");
    }

    @Test
    void aPostAndACommentAreFoundOnceApprovedWithTheMatchedWordsMarkedByOffsets() {
        var ann = newUser("ann");
        UUID room = ann.createRoom(uniqueName("garden")).id();
        String w = word();
        String postId = approvedPost(ann, room, Map.of("title", "Notes on " + w + " gardening",
                "body", "Tomatoes like sun. The " + w + " method waters them at dawn.", "tags", List.of("plants")));
        String commentId = newComment(ann, postId, "I tried the " + w + " trick and it worked").get("id").asText();
        awaitComment(ann, postId, commentId, "approved");

        JsonNode page = awaitExactly(ann, w, "", postId, commentId);

        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("next").isNull()).isTrue();
        for (JsonNode hit : page.get("results")) {
            var names = new ArrayList<String>();
            hit.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyInAnyOrderElementsOf(RESULT_FIELDS);
            assertThat(hit.get("roomId").asText()).isEqualTo(room.toString());
            assertThat(hit.get("author").get("id").asText()).isEqualTo(ann.id().toString());
            assertThat(marked(hit.get("text").asText(), hit.get("highlights"))).isEqualTo(w);
            assertThat(Instant.parse(hit.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(60));
        }
        JsonNode post = page.get("results").get(ids(page).indexOf(postId));
        assertThat(post.get("kind").asText()).isEqualTo("post");
        assertThat(post.get("title").asText()).isEqualTo("Notes on " + w + " gardening");
        assertThat(marked(post.get("title").asText(), post.get("titleHighlights"))).isEqualTo(w);
        JsonNode comment = page.get("results").get(ids(page).indexOf(commentId));
        assertThat(comment.get("kind").asText()).isEqualTo("comment");
        assertThat(comment.get("postId").asText()).isEqualTo(postId);
    }

    @Test
    void englishStemmingPhrasesExclusionTagAndAuthorNarrowTheResults() {
        var bea = newUser("bea");
        var cy = newUser("cy");
        UUID room = bea.createRoom(uniqueName("syntax")).id();
        cy.join(room);
        String w = word();
        String t = tag();
        String first = approvedPost(bea, room, Map.of("title", w + " alpha beta", "tags", List.of(t)));
        String second = approvedPost(bea, room, Map.of("title", w + " beta alpha"));
        String third = approvedPost(cy, room, Map.of("title", w + " alpha gamma", "body", "running gardens"));
        awaitExactly(bea, w, "&kind=post", first, second, third);

        assertThat(ids(found(bea, w + " \"alpha beta\"", ""))).containsExactly(first);
        assertThat(ids(found(bea, w + " alpha -gamma", ""))).containsExactlyInAnyOrder(first, second);
        assertThat(ids(found(bea, w + " tag:" + t, ""))).containsExactly(first);
        assertThat(ids(found(bea, w, "&tag=" + t))).containsExactly(first);
        assertThat(ids(found(bea, w + " author:" + cy.user().username(), ""))).containsExactly(third);
        assertThat(ids(found(bea, w, "&author=" + cy.user().username()))).containsExactly(third);
        // English analysis: "ran" and "garden" find "running gardens"
        assertThat(ids(found(bea, w + " garden run", ""))).containsExactly(third);
        assertThat(ids(found(bea, w, "&room=" + room + "&kind=post"))).hasSize(3);
        assertThat(ids(found(bea, w, "&room=" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void heldRejectedAndDeletedItemsAreNeverFound() {
        var dee = newUser("dee");
        UUID room = dee.createRoom(uniqueName("strict")).id();
        String w = word();
        putRules(dee, room, List.of("forbidden" + w), List.of("holdme" + w), false);
        String rejected = newPost(dee, room, Map.of("title", w + " says forbidden" + w)).get("id").asText();
        String held = newPost(dee, room, Map.of("title", w + " holdme" + w)).get("id").asText();
        awaitPost(dee, rejected, "rejected");
        awaitPost(dee, held, "held");
        String shown = approvedPost(dee, room, Map.of("title", w + " is fine"));
        String doomed = approvedPost(dee, room, Map.of("title", w + " will be deleted"));
        String commentOfDoomed = newComment(dee, doomed, w + " comment goes with its post").get("id").asText();
        awaitComment(dee, doomed, commentOfDoomed, "approved");

        awaitExactly(dee, w, "", shown, doomed, commentOfDoomed);

        assertThat(deletePost(dee, doomed).status()).isEqualTo(204);
        awaitExactly(dee, w, "", shown);
        assertThat(found(dee, w, "").get("total").asLong()).as("a later search never shows an older state").isEqualTo(1);
    }

    @Test
    void chatMessagesAreFoundOnlyByMembersAndAJoinOrALeaveCountsOnTheVeryNextSearch() {
        var eve = newUser("eve");
        var fay = newUser("fay");
        UUID room = eve.createRoom(uniqueName("private-talk")).id();
        String w = word();
        String message = eve.post(room, "meet me at the " + w + " fountain").id().toString();

        JsonNode page = awaitExactly(eve, w, "", message);
        JsonNode hit = page.get("results").get(0);
        assertThat(hit.get("kind").asText()).isEqualTo("message");
        assertThat(hit.get("roomId").asText()).isEqualTo(room.toString());
        assertThat(marked(hit.get("text").asText(), hit.get("highlights"))).isEqualTo(w);

        assertThat(ids(found(fay, w, ""))).as("not a member").isEmpty();
        // Fay's searches may go to another replica than Eve's: she waits, as a member, for hers to hold the message.
        fay.join(room);
        awaitExactly(fay, w, "", message);
        fay.leave(room);
        assertThat(ids(found(fay, w, ""))).as("right after leaving").isEmpty();
        assertThat(ids(found(fay, w, "&kind=message&room=" + room))).as("naming the room does not help").isEmpty();
        fay.join(room);
        assertThat(ids(found(fay, w, ""))).as("right after joining").containsExactly(message);
        fay.leave(room);
        assertThat(ids(found(fay, w, ""))).as("right after leaving again").isEmpty();
    }

    @Test
    void sortsOrderTheHitsAndPagesNeverRepeatOne() {
        var gus = newUser("gus");
        var voters = List.of(newUser("v"), newUser("v"));
        UUID room = gus.createRoom(uniqueName("sorted")).id();
        voters.forEach(v -> v.join(room));
        String w = word();
        var posts = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            posts.add(approvedPost(gus, room, Map.of("title", w + " number " + i, "body", (w + " ").repeat(i + 1))));
        }
        // votes: post 1 gets +2, post 3 gets -1
        voters.forEach(v -> vote(v, posts.get(1), 1));
        vote(voters.get(0), posts.get(3), -1);

        // both votes on post 1 counted (post 1 leads with one already), and the vote on post 3
        eventually(DECISION, () -> {
            JsonNode top = found(gus, w, "&sort=top");
            assertThat(ids(top)).startsWith(posts.get(1)).endsWith(posts.get(3));
            assertThat(top.get("results").get(0).get("votes").asLong()).isEqualTo(2);
        });
        assertThat(ids(found(gus, w, "&sort=new"))).containsExactlyElementsOf(posts.reversed());
        JsonNode relevance = found(gus, w, "&sort=relevance");
        assertThat(ids(relevance).getFirst()).as("the post saying it most often").isEqualTo(posts.get(4));
        assertThat(relevance.get("results").get(0).get("score").asDouble())
                .isGreaterThanOrEqualTo(relevance.get("results").get(4).get("score").asDouble());
        assertThat(found(gus, w, "&sort=top").get("results").get(0).get("votes").asLong())
                .as("a later search never shows an older state").isEqualTo(2);

        for (String sort : List.of("relevance", "new", "top")) {
            var seen = new ArrayList<String>();
            String more = "&sort=" + sort + "&limit=2";
            JsonNode page = found(gus, w, more);
            assertThat(page.get("total").asLong()).isEqualTo(5);
            while (true) {
                seen.addAll(ids(page));
                if (page.get("next").isNull()) {
                    break;
                }
                page = found(gus, w, more + "&cursor=" + q(page.get("next").asText()));
            }
            assertThat(seen).as(sort).hasSize(5).containsExactlyInAnyOrderElementsOf(posts);
            assertThat(new HashSet<>(seen)).hasSize(5);
        }
    }

    @Test
    void similarPostsAreTheApprovedOnesMostLikeThisOneNeverItself() {
        var hal = newUser("hal");
        UUID room = hal.createRoom(uniqueName("alike")).id();
        String w = word();
        String rust = approvedPost(hal, room, Map.of("title", w + " borrow checker lifetimes in Rust",
                "body", "Ownership, borrowing and lifetimes make Rust memory safe without a collector."));
        String alike = approvedPost(hal, room, Map.of("title", "Rust lifetimes and the borrow checker " + w,
                "body", "Lifetimes tell the borrow checker how long references live; ownership does the rest."));
        String other = approvedPost(hal, room, Map.of("title", "Pasta recipes " + w,
                "body", "Boil water, salt it, cook the pasta until al dente."));
        awaitExactly(hal, w, "&kind=post", rust, alike, other);

        JsonNode similar = ok(hal, V1 + "/posts/" + rust + "/similar?limit=5");
        var ids = new ArrayList<String>();
        similar.get("posts").forEach(p -> ids.add(p.get("id").asText()));
        assertThat(ids).contains(alike).doesNotContain(rust);
        if (ids.contains(other)) {
            assertThat(ids.indexOf(alike)).isLessThan(ids.indexOf(other));
        }
        assertThat(similar.get("posts").get(0).get("title")).isNotNull();

        assertProblem(hal.call("GET", V1 + "/posts/" + UUID.randomUUID() + "/similar", null), 404);
        assertProblem(hal.call("GET", V1 + "/posts/" + rust + "/similar?limit=0", null), 422);
    }

    @Test
    void badQueriesAnswer422AndNoTokenAnswers401() {
        var ida = newUser("ida");
        assertProblem(ida.call("GET", V1 + "/search", null), 422);
        assertProblem(search(ida, "   ", ""), 422);
        assertProblem(search(ida, "x".repeat(501), ""), 422);
        assertProblem(search(ida, "word", "&kind=video"), 422);
        assertProblem(search(ida, "word", "&sort=best"), 422);
        assertProblem(search(ida, "word", "&room=not-a-room"), 422);
        assertProblem(search(ida, "word", "&limit=0"), 422);
        assertProblem(search(ida, "word", "&limit=51"), 422);
        assertProblem(search(ida, "word", "&cursor=%21%21not-a-cursor"), 422);
        assertProblem(search(ida, "secret:word", ""), 422);
        // what a query parser would choke on is searched as words
        assertThat(search(ida, "C++ (a AND", "").status()).isEqualTo(200);
        assertThat(search(ida, "x".repeat(500), "").status()).isEqualTo(200);
        ApiResponse anonymous = client.call("GET", V1 + "/search?q=word", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
    }
}
