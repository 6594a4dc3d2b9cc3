package babble.e2e;

import static babble.e2e.PostsApi.DECISION;
import static babble.e2e.PostsApi.V1;
import static babble.e2e.PostsApi.awaitPost;
import static babble.e2e.PostsApi.deletePost;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.everyPage;
import static babble.e2e.PostsApi.ids;
import static babble.e2e.PostsApi.newPost;
import static babble.e2e.PostsApi.ok;
import static babble.e2e.PostsApi.vote;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * API.md, "Topics": topic preferences and private labels (tags service), topic listings and the personal feed
 * (recommend service), ranked by the hot formula, against a running deployment. Every test makes up its own tags,
 * so posts of other tests never show in its listings; the feed is checked for what must and must not be in it.
 */
class TopicsIT extends E2E {

    private static String tag() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String approvedPost(UserSession author, UUID room, String title, List<String> tags) {
        String id = newPost(author, room, Map.of("title", title, "tags", tags)).get("id").asText();
        awaitPost(author, id, "approved");
        return id;
    }

    private static JsonNode put(UserSession user, String path, Object body) {
        ApiResponse response = user.call("PUT", path, body);
        assertThat(response.status()).as("PUT %s: %s", path, response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(s -> out.add(s.asText()));
        return out;
    }

    private static void assertProblem(ApiResponse response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    private static List<String> topic(UserSession user, String tag, String sort) {
        return ids(everyPage(user, V1 + "/topics/" + tag + "/posts?sort=" + sort + "&limit=2", "posts"));
    }

    private static List<String> feed(UserSession user) {
        return ids(everyPage(user, V1 + "/feed?limit=3", "posts"));
    }

    // ---- topic preferences ----

    @Test
    void topicPreferencesStartEmptyAreReplacedWholeAndRejectBadTags() {
        var ann = newUser("ann");
        String a = tag();
        String b = tag();
        String c = tag();

        JsonNode empty = ok(ann, V1 + "/users/me/topics");
        assertThat(strings(empty.get("follow"))).isEmpty();
        assertThat(strings(empty.get("mute"))).isEmpty();

        JsonNode set = put(ann, V1 + "/users/me/topics", Map.of("follow", List.of(b, a), "mute", List.of(c)));
        assertThat(strings(set.get("follow"))).containsExactlyInAnyOrder(a, b);
        assertThat(strings(set.get("mute"))).containsExactly(c);
        assertThat(ok(ann, V1 + "/users/me/topics")).isEqualTo(set);

        JsonNode replaced = put(ann, V1 + "/users/me/topics", Map.of("follow", List.of(c), "mute", List.of()));
        assertThat(strings(replaced.get("follow"))).containsExactly(c);
        assertThat(strings(replaced.get("mute"))).isEmpty();

        assertProblem(ann.call("PUT", V1 + "/users/me/topics", Map.of("follow", List.of("Not a tag!"))), 422);
        assertProblem(ann.call("PUT", V1 + "/users/me/topics", Map.of("follow", List.of(a), "mute", List.of(a))), 422);
        assertProblem(ann.call("PUT", V1 + "/users/me/topics", "{\"follow\": 7}"), 422);
        assertThat(ok(ann, V1 + "/users/me/topics")).as("refused changes change nothing").isEqualTo(replaced);
        assertProblem(client.call("GET", V1 + "/users/me/topics", null, null), 401);
    }

    // ---- labels ----

    @Test
    void labelsArePrivateToTheirAuthorAndListTheLabelledPosts() {
        var bea = newUser("bea");
        var cy = newUser("cy");
        UUID room = bea.createRoom(uniqueName("labelled")).id();
        String first = approvedPost(bea, room, "first to read later", List.of());
        String second = approvedPost(bea, room, "second to read later", List.of());
        String label = tag();

        JsonNode labels = put(cy, V1 + "/posts/" + first + "/labels", Map.of("labels", List.of(label, "later")));
        assertThat(labels.get("postId").asText()).isEqualTo(first);
        assertThat(strings(labels.get("labels"))).containsExactlyInAnyOrder(label, "later");
        put(cy, V1 + "/posts/" + second + "/labels", Map.of("labels", List.of(label)));

        assertThat(strings(ok(cy, V1 + "/posts/" + first + "/labels").get("labels"))).containsExactlyInAnyOrder(label, "later");
        assertThat(ids(everyPage(cy, V1 + "/users/me/labels/" + label + "/posts?limit=1", "posts")))
                .containsExactly(second, first);
        assertThat(ids(everyPage(bea, V1 + "/users/me/labels/" + label + "/posts?limit=10", "posts")))
                .as("another user's labels").isEmpty();
        assertThat(strings(ok(bea, V1 + "/posts/" + first + "/labels").get("labels"))).isEmpty();

        put(cy, V1 + "/posts/" + first + "/labels", Map.of("labels", List.of()));
        assertThat(ids(everyPage(cy, V1 + "/users/me/labels/" + label + "/posts?limit=10", "posts"))).containsExactly(second);
        assertThat(deletePost(bea, second).status()).isEqualTo(204);
        eventually(DECISION, () -> assertThat(ids(everyPage(cy, V1 + "/users/me/labels/" + label + "/posts?limit=10",
                "posts"))).as("a deleted post is left out").isEmpty());

        assertProblem(cy.call("PUT", V1 + "/posts/" + UUID.randomUUID() + "/labels", Map.of("labels", List.of("x"))), 404);
        assertProblem(cy.call("PUT", V1 + "/posts/" + first + "/labels", Map.of("labels", List.of("Bad Label"))), 422);
        var many = new ArrayList<String>();
        for (int i = 0; i < 21; i++) {
            many.add("l" + i);
        }
        assertProblem(cy.call("PUT", V1 + "/posts/" + first + "/labels", Map.of("labels", many)), 422);
        assertProblem(cy.call("PUT", V1 + "/posts/not-a-post/labels", Map.of("labels", List.of("x"))), 404);
    }

    @Test
    void someoneElsesPendingPostCannotBeLabelled() {
        var dee = newUser("dee");
        var eli = newUser("eli");
        UUID room = dee.createRoom(uniqueName("held")).id();
        PostsApi.putRules(dee, room, List.of(), List.of(), true);
        String held = newPost(dee, room, Map.of("title", "waiting for review")).get("id").asText();
        awaitPost(dee, held, "held");

        assertProblem(eli.call("PUT", V1 + "/posts/" + held + "/labels", Map.of("labels", List.of("x"))), 404);
        assertThat(put(dee, V1 + "/posts/" + held + "/labels", Map.of("labels", List.of("mine"))).get("labels"))
                .as("the author may label their own").hasSize(1);
    }

    // ---- topic listings ----

    @Test
    void aTopicListsItsApprovedPostsFromEveryRoomInHotNewAndTopOrder() {
        var fay = newUser("fay");
        var voters = List.of(newUser("v"), newUser("v"), newUser("v"));
        UUID one = fay.createRoom(uniqueName("topic-a")).id();
        UUID two = fay.createRoom(uniqueName("topic-b")).id();
        voters.forEach(v -> {
            v.join(one);
            v.join(two);
        });
        String t = tag();
        String loved = approvedPost(fay, one, "loved", List.of(t));
        String plain = approvedPost(fay, two, "plain", List.of(t, "other"));
        String disliked = approvedPost(fay, one, "disliked", List.of(t));
        String untagged = approvedPost(fay, one, "untagged", List.of());
        voters.forEach(v -> vote(v, loved, 1));
        vote(voters.get(0), disliked, -1);
        vote(voters.get(1), disliked, -1);

        // hot: +3 → log10(3) = 0.48 ahead; -2 → 0.30 behind; seconds apart weigh 1/45000 each
        eventually(DECISION, () -> assertThat(topic(fay, t, "hot")).containsExactly(loved, plain, disliked));
        assertThat(topic(fay, t, "top")).containsExactly(loved, plain, disliked);
        assertThat(topic(fay, t, "new")).containsExactly(disliked, plain, loved);
        assertThat(topic(fay, t, "hot")).doesNotContain(untagged);
        JsonNode first = ok(fay, V1 + "/topics/" + t + "/posts?sort=top&limit=1").get("posts").get(0);
        assertThat(first.get("score").asLong()).isEqualTo(3);
        assertThat(first.get("title").asText()).isEqualTo("loved");

        assertThat(deletePost(fay, plain).status()).isEqualTo(204);
        eventually(DECISION, () -> assertThat(topic(fay, t, "new")).containsExactly(disliked, loved));

        assertProblem(fay.call("GET", V1 + "/topics/" + t + "/posts?sort=best", null), 422);
        assertProblem(fay.call("GET", V1 + "/topics/Not%20A%20Tag/posts", null), 422);
        assertProblem(fay.call("GET", V1 + "/topics/" + t + "/posts?limit=0", null), 422);
        assertProblem(client.call("GET", V1 + "/topics/" + t + "/posts", null, null), 401);
    }

    // ---- the feed ----

    @Test
    void theFeedHasFollowedTopicsFollowedPeopleAndJoinedRoomsWithoutMutedTopicsRankedHot() {
        var gus = newUser("gus");
        var hal = newUser("hal");
        var ivy = newUser("ivy");
        UUID halsRoom = hal.createRoom(uniqueName("hals")).id();
        UUID ivysRoom = ivy.createRoom(uniqueName("ivys")).id();
        UUID joined = ivy.createRoom(uniqueName("joined")).id();
        String followed = tag();
        String muted = tag();

        String byTopic = approvedPost(hal, halsRoom, "followed topic", List.of(followed));
        String byPerson = approvedPost(ivy, ivysRoom, "followed person", List.of());
        String inRoom = approvedPost(ivy, joined, "joined room", List.of());
        String mutedInRoom = approvedPost(ivy, joined, "muted topic in a joined room", List.of(muted));
        String mutedAndFollowed = approvedPost(hal, halsRoom, "muted wins", List.of(followed, muted));
        String unrelated = approvedPost(hal, halsRoom, "nothing to do with gus", List.of(tag()));

        assertThat(feed(gus)).doesNotContain(byTopic, byPerson, inRoom, mutedInRoom, mutedAndFollowed, unrelated);

        put(gus, V1 + "/users/me/topics", Map.of("follow", List.of(followed), "mute", List.of(muted)));
        assertThat(gus.call("POST", V1 + "/users/" + gus.id() + "/follow/" + ivy.id(), null).status()).isEqualTo(204);
        gus.join(joined);

        eventually(DECISION, () -> {
            List<String> feed = feed(gus);
            assertThat(feed).contains(byTopic, byPerson, inRoom)
                    .doesNotContain(mutedInRoom, mutedAndFollowed, unrelated);
            assertThat(new HashSet<>(feed)).as("no post twice").hasSameSizeAs(feed);
        });

        // hot: a post voted up rises above the others
        var voter = newUser("voter");
        voter.join(joined);
        var second = newUser("voter");
        second.join(joined);
        vote(voter, inRoom, 1);
        vote(second, inRoom, 1);
        vote(gus, inRoom, 1);
        eventually(DECISION, () -> assertThat(feed(gus).getFirst()).isEqualTo(inRoom));

        assertProblem(gus.call("GET", V1 + "/feed?limit=0", null), 422);
        assertProblem(gus.call("GET", V1 + "/feed?cursor=%21%21", null), 422);
        assertProblem(client.call("GET", V1 + "/feed", null, null), 401);
    }
}
