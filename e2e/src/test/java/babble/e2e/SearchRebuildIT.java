package babble.e2e;

import static babble.e2e.PostsApi.DECISION;
import static babble.e2e.PostsApi.V1;
import static babble.e2e.PostsApi.awaitPost;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.newPost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * README: "rebuild search" deletes a search process's index directory and starts it again; it replays the post,
 * moderation and message streams and is not ready until it has caught up, and then answers as before. In
 * processes mode every replica is rebuilt in turn while the others serve, so no search fails meanwhile.
 */
class SearchRebuildIT extends E2E {

    @Test
    void aSearchProcessWhoseIndexIsDeletedRebuildsItByReplayAndAnswersTheSame() {
        assumeTrue(deployment instanceof LocalDeployment, "needs the launcher's console");
        var local = (LocalDeployment) deployment;
        var ann = newUser("ann");
        UUID room = ann.createRoom(uniqueName("rebuilt")).id();
        String w = "zqrebuild" + UUID.randomUUID().toString().replaceAll("[^a-f]", "");
        var expected = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            String id = newPost(ann, room, Map.of("title", w + " post " + i, "tags", List.of("rebuilt"))).get("id").asText();
            awaitPost(ann, id, "approved");
            expected.add(id);
        }
        expected.add(ann.post(room, w + " in the chat").id().toString());
        Map<String, JsonNode> before = eventually(DECISION, () -> {
            Map<String, JsonNode> answers = answers(ann, w);
            assertThat(answers.get("relevance").get("total").asLong()).isEqualTo(expected.size());
            return answers;
        });

        List<String> replicas = local.status().contains("search-2") ? List.of("search", "search-2") : List.of("search");
        var failed = new ArrayList<Integer>();
        for (String replica : replicas) {
            assertThat(local.console("rebuild " + replica)).startsWith("ok");
            if (replicas.size() > 1) { // the other replica serves meanwhile
                ApiResponse during = ann.call("GET", V1 + "/search?q=" + w, null);
                if (during.status() != 200) {
                    failed.add(during.status());
                }
            }
            local.awaitReady(Duration.ofMinutes(2));
            if (!Deployments.mode().equals("all-in-one")) { // each replica's metrics on its own port
                assertThat(replayed(local.portOf(replica))).as("events %s replayed into its new index", replica)
                        .isGreaterThanOrEqualTo(expected.size());
            }
            // A user's searches stay on one replica while it answers: with the others stopped, this one answers.
            var others = replicas.stream().filter(r -> !r.equals(replica)).toList();
            others.forEach(other -> assertThat(local.console("stop " + other)).startsWith("ok"));
            try {
                assertThat(answers(ann, w)).as("after rebuilding " + replica).isEqualTo(before);
            } finally {
                others.forEach(other -> assertThat(local.console("start " + other)).startsWith("ok"));
                local.awaitReady(Duration.ofMinutes(2));
            }
        }
        assertThat(failed).as("searches that failed while a replica rebuilt").isEmpty();
    }

    /** How many events the replica's last replay applied, from its own metrics. */
    private static double replayed(int port) {
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.body().lines().filter(l -> l.startsWith("babble_search_replay_applied"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every sort's first page. Relevance scores depend on statistics of the whole index (field lengths on average),
     * which a rebuild may change, so they are left out, and the relevance order is compared as a set.
     */
    private static Map<String, JsonNode> answers(UserSession user, String w) {
        var answers = new LinkedHashMap<String, JsonNode>();
        for (String sort : List.of("relevance", "new", "top")) {
            ApiResponse response = user.call("GET", V1 + "/search?q=" + w + "&sort=" + sort + "&limit=50", null);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode page = response.json();
            page.get("results").forEach(hit -> ((com.fasterxml.jackson.databind.node.ObjectNode) hit).remove("score"));
            if (sort.equals("relevance")) {
                var hits = new java.util.TreeMap<String, JsonNode>();
                page.get("results").forEach(hit -> hits.put(hit.get("id").asText(), hit));
                ((com.fasterxml.jackson.databind.node.ObjectNode) page).set("results",
                        babble.client.BabbleClient.json().valueToTree(hits.values()));
            }
            answers.put(sort, page);
        }
        return answers;
    }
}
