package babble.e2e;

import static babble.e2e.ImportsApi.count;
import static babble.e2e.ImportsApi.startImport;
import static babble.e2e.JobsApi.awaitFinished;
import static babble.e2e.JobsApi.awaitProgress;
import static babble.e2e.JobsApi.done;
import static babble.e2e.JobsApi.id;
import static babble.e2e.JobsApi.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.app.RedditSample;
import babble.client.BabbleClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import survives the death of its worker: processes mode, two jobs processes on one queue, a short lease
 * (3 s) and imports slowed to 1,000 posts a second so one can be caught running. The process running it is killed
 * (kill -9) mid-way; the other takes the job over after the lease and resumes from the last checkpoint, sending
 * again the batch the dead one may have written: the counts are exact, and the room has every post once.
 */
@UsesFailuresDeployment
class ImportFailureIT {
    private static final int LINES = 10_000;
    private static final int BROKEN = 100;
    private static final List<String> JOBS_PROCESSES = List.of("jobs", "jobs-2");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;
    private static LocalDeployment deployment;
    private static BabbleClient client;

    @BeforeAll
    static void start() {
        assumeTrue(Deployments.mode().equals("processes"), "processes mode only: kills a jobs process");
        deployment = Deployments.failures(); // a 3 s lease, imports at 1,000 lines a second
        client = new BabbleClient(deployment.baseUrl());
    }

    private static double runningJobs(int port) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JobsFailureIT.sample(response.body(), "babble_jobs_running");
    }

    @Test
    void killingTheProcessRunningAnImportLosesNothingAndDuplicatesNothing() throws Exception {
        var owner = client.signUp(E2E.uniqueName("importer"), E2E.PASSWORD);
        UUID room = owner.createRoom(E2E.uniqueName("survives")).id();
        Path file = ImportsApi.sample(dir, LINES, BROKEN);
        var ports = new LinkedHashMap<String, Integer>();
        JOBS_PROCESSES.forEach(name -> ports.put(name, deployment.portOf(name)));

        String id = id(startImport(client, owner, room, file));
        JsonNode before = awaitProgress(owner, id, Duration.ofSeconds(30));
        var running = new LinkedHashMap<String, Double>();
        for (var process : ports.entrySet()) {
            running.put(process.getKey(), runningJobs(process.getValue()));
        }
        assertThat(running.values()).as("jobs running per process: %s", running).containsExactlyInAnyOrder(1.0, 0.0);
        String victim = running.entrySet().stream().filter(e -> e.getValue() == 1.0).findFirst().orElseThrow().getKey();

        deployment.console("kill " + victim); // kill -9
        long killedAt = System.nanoTime();
        JsonNode atKill = JobsApi.job(owner, id);
        assertThat(status(atKill)).as("still running when its process died: %s", atKill).isEqualTo("running");
        assertThat(done(atKill)).as("killed mid-way").isLessThan(LINES);

        JsonNode finished = awaitFinished(owner, id, Duration.ofSeconds(120));
        long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;

        assertThat(status(finished)).as(finished.toString()).isEqualTo("succeeded");
        assertThat(finished.get("attempts").asInt()).as("the first run died, the second finished").isEqualTo(2);
        assertThat(count(finished, "imported")).isEqualTo(LINES - BROKEN);
        assertThat(count(finished, "existing")).isZero();
        assertThat(count(finished, "skipped")).isEqualTo(BROKEN);
        assertThat(finished.get("result").get("errors").findValuesAsText("line")).map(Long::parseLong)
                .isEqualTo(RedditSample.brokenLineNumbers(LINES, BROKEN));
        String lastTitle = ImportsApi.goodLines(file, RedditSample.brokenLineNumbers(LINES, BROKEN)).getLast()
                .get("title").asText();
        PostsApi.eventually(Duration.ofMinutes(2), () -> assertThat(PostsApi.ok(owner, PostsApi.postsPath(room)
                + "?sort=new&limit=1").get("posts").get(0).get("title").asText()).isEqualTo(lastTitle));
        List<JsonNode> posts = PostsApi.allPosts(owner, room, "new", 100);
        assertThat(posts).as("every post once").hasSize(LINES - BROKEN);
        assertThat(posts.stream().map(p -> p.get("createdAt").asText()).distinct()).hasSize(LINES - BROKEN);
        E2E.reportFailureTest("kill -9 jobs during an import", Map.of("killed", victim, "lines_done_at_kill", done(atKill),
                "lines_done_seen_before", done(before), "finished_ms_after_kill", recoveredMs));
    }
}
