package babble.e2e;

import static babble.e2e.JobsApi.awaitFinished;
import static babble.e2e.JobsApi.awaitProgress;
import static babble.e2e.JobsApi.done;
import static babble.e2e.JobsApi.export;
import static babble.e2e.JobsApi.history;
import static babble.e2e.JobsApi.id;
import static babble.e2e.JobsApi.jsonLines;
import static babble.e2e.JobsApi.newJob;
import static babble.e2e.JobsApi.postMany;
import static babble.e2e.JobsApi.result;
import static babble.e2e.JobsApi.seqs;
import static babble.e2e.JobsApi.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job runs once even if its worker dies mid-way: processes mode, two jobs processes on one queue, a short lease
 * (3 s) and an export slowed to 400 messages a second so it can be caught running. The process running it is
 * killed (kill -9); the other takes the job over after the lease, resumes from the last checkpoint, and the file
 * holds every message of the room exactly once, in order.
 */
@UsesFailuresDeployment
class JobsFailureIT {
    private static final int MESSAGES = 2_000;
    private static final List<String> JOBS_PROCESSES = List.of("jobs", "jobs-2");

    private static LocalDeployment deployment;
    private static BabbleClient client;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        assumeTrue(Deployments.mode().equals("processes"), "processes mode only: kills a jobs process");
        deployment = Deployments.failures(); // a 3 s lease, exports at 400 messages a second
        client = new BabbleClient(deployment.baseUrl());
    }

    private static UserSession user(String prefix) {
        return client.signUp(E2E.uniqueName(prefix), E2E.PASSWORD);
    }


    /** A process's Prometheus text ({@code /metrics} on its own port). */
    private static String metrics(int port) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("/metrics on port %d", port).isEqualTo(200);
        return response.body();
    }

    /** The sum of a metric's samples that carry every one of {@code labels} ({@code outcome="succeeded"}); 0 if none. */
    static double sample(String metrics, String name, String... labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            if (List.of(labels).stream().allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static double succeededExports(int port) throws IOException, InterruptedException {
        return sample(metrics(port), "babble_jobs_finished_total", "kind=\"export-room\"", "outcome=\"succeeded\"");
    }

    @Test
    void killingTheProcessRunningAnExportResumesItOnTheOtherWithEveryMessageOnce() throws Exception {
        var ann = user("ann");
        var posters = new ArrayList<>(List.of(ann));
        UUID room = ann.createRoom("survives a crash").id();
        for (int i = 0; i < 3; i++) {
            var poster = user("poster");
            poster.join(room);
            posters.add(poster);
        }
        postMany(posters, room, MESSAGES);
        List<JsonNode> history = history(ann, room);
        assertThat(seqs(history)).isEqualTo(LongStream.rangeClosed(1, MESSAGES).boxed().toList());

        var ports = new LinkedHashMap<String, Integer>();
        JOBS_PROCESSES.forEach(name -> ports.put(name, deployment.portOf(name)));
        String id = id(newJob(ann, export(room, "jsonl")));
        JsonNode before = awaitProgress(ann, id, Duration.ofSeconds(20));

        // The process running it: its gauge says one job; the other's says none.
        var running = new LinkedHashMap<String, Double>();
        for (var process : ports.entrySet()) {
            running.put(process.getKey(), sample(metrics(process.getValue()), "babble_jobs_running"));
        }
        assertThat(running.values()).as("jobs running per process: %s", running).containsExactlyInAnyOrder(1.0, 0.0);
        String victim = running.entrySet().stream().filter(e -> e.getValue() == 1.0).findFirst().orElseThrow().getKey();
        String survivor = JOBS_PROCESSES.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();
        double survivorSucceeded = succeededExports(ports.get(survivor));

        deployment.console("kill " + victim); // kill -9
        long killedAt = System.nanoTime();
        JsonNode atKill = JobsApi.job(ann, id);
        assertThat(status(atKill)).as("still running when its process died: %s", atKill).isEqualTo("running");

        JsonNode finished = awaitFinished(ann, id, Duration.ofSeconds(60));
        long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;

        assertThat(status(finished)).as(finished.toString()).isEqualTo("succeeded");
        assertThat(finished.get("attempts").asInt()).as("the first run died, the second finished").isEqualTo(2);
        assertThat(done(finished)).isEqualTo(MESSAGES);
        assertThat(finished.get("result").get("messages").asLong()).isEqualTo(MESSAGES);
        assertThat(succeededExports(ports.get(survivor))).as("the export succeeded on %s", survivor)
                .isEqualTo(survivorSucceeded + 1);

        ApiResponse file = result(ann, id);
        assertThat(file.status()).as(file.text()).isEqualTo(200);
        assertThat(file.body().length).isEqualTo(finished.get("result").get("bytes").asLong());
        List<JsonNode> lines = jsonLines(file.text());
        assertThat(seqs(lines)).as("every message once, in order").isEqualTo(seqs(history));
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).as("line %d", i + 1).isEqualTo(history.get(i));
        }
        E2E.reportFailureTest("kill -9 jobs", Map.of("killed", victim, "progress_at_kill", done(atKill),
                "progress_seen_before", done(before), "finished_ms_after_kill", recoveredMs));
    }
}
