package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * API.md, "Jobs and imports" as raw calls (the tests check shapes and headers, so they read JSON, not records),
 * and the waits a job needs: it runs asynchronously, so a test looks again until the job got where it expects.
 */
final class JobsApi {
    static final String JOBS = "/api/v1/jobs";
    static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");
    static final List<String> JOB_FIELDS = List.of("id", "kind", "status", "progress", "attempts", "error", "result",
            "createdAt", "startedAt", "finishedAt");

    private JobsApi() {
    }

    static String jobPath(String id) {
        return JOBS + "/" + id;
    }

    static String resultPath(String id) {
        return jobPath(id) + "/result";
    }

    // ---- bodies ----

    static Map<String, Object> export(UUID room, String format) {
        var body = new LinkedHashMap<String, Object>();
        body.put("kind", "export-room");
        body.put("roomId", room.toString());
        body.put("format", format);
        return body;
    }

    /** The diagnostic job of the shared deployment: {@code steps} steps of {@code stepMillis}, its first {@code failures} attempts failing. */
    static Map<String, Object> probe(int steps, int stepMillis, int failures) {
        return Map.of("kind", "probe", "steps", steps, "stepMillis", stepMillis, "failures", failures);
    }

    // ---- calls ----

    static ApiResponse submit(UserSession user, Object body) {
        return user.call("POST", JOBS, body);
    }

    static ApiResponse submit(UserSession user, Object body, Map<String, String> headers) {
        return user.call("POST", JOBS, body, headers);
    }

    /** Submits without waiting: asserts the 202 and answers the job. */
    static JsonNode newJob(UserSession user, Object body) {
        ApiResponse response = submit(user, body);
        assertThat(response.status()).as("POST /jobs %s: %s", body, response.text()).isEqualTo(202);
        return response.json();
    }

    static ApiResponse getJob(UserSession user, String id) {
        return user.call("GET", jobPath(id), null);
    }

    /** The job as its owner reads it (asserts the 200). */
    static JsonNode job(UserSession user, String id) {
        ApiResponse response = getJob(user, id);
        assertThat(response.status()).as("GET job %s: %s", id, response.text()).isEqualTo(200);
        return response.json();
    }

    static ApiResponse cancel(UserSession user, String id) {
        return user.call("DELETE", jobPath(id), null);
    }

    static ApiResponse result(UserSession user, String id) {
        return user.call("GET", resultPath(id), null);
    }

    static String id(JsonNode job) {
        return job.get("id").asText();
    }

    static String status(JsonNode job) {
        return job.get("status").asText();
    }

    static long done(JsonNode job) {
        return job.get("progress").get("done").asLong();
    }

    // ---- waiting ----

    /** The job once it has finished (succeeded, failed or cancelled), looking every 100 ms for up to {@code within}. */
    static JsonNode awaitFinished(UserSession user, String id, Duration within) {
        return await("job " + id + " to finish").atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> job(user, id), j -> FINISHED.contains(status(j)));
    }

    /** The job once it runs and has recorded progress (a checkpoint). */
    static JsonNode awaitProgress(UserSession user, String id, Duration within) {
        return await("job " + id + " to run and make progress").atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> job(user, id), j -> status(j).equals("running") && done(j) > 0);
    }

    // ---- a room's history ----

    /** Posts {@code count} messages ("message N") to the room, spread over the posters, which post at once. */
    static void postMany(List<UserSession> posters, UUID room, int count) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var posted = new ArrayList<Future<?>>();
            for (int p = 0; p < posters.size(); p++) {
                UserSession poster = posters.get(p);
                int first = p;
                posted.add(pool.submit(() -> {
                    for (int i = first; i < count; i += posters.size()) {
                        poster.post(room, "message " + (i + 1), "many-" + room + "-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : posted) {
                f.get();
            }
        }
    }

    /** Every message of the room as REST answers it (raw JSON), oldest first, page by page. */
    static List<JsonNode> history(UserSession user, UUID room) {
        var all = new ArrayList<JsonNode>();
        long after = 0;
        while (true) {
            ApiResponse response = user.call("GET", "/api/v1/rooms/" + room + "/messages?after=" + after + "&limit=200", null);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode page = response.json().get("messages");
            if (page.isEmpty()) {
                return all;
            }
            page.forEach(all::add);
            after = all.getLast().get("seq").asLong();
        }
    }

    /** A JSON Lines file, each line parsed (asserts it ends with a newline and has no blank line). */
    static List<JsonNode> jsonLines(String file) {
        assertThat(file).as("a JSON Lines file ends each line with a newline").endsWith("\n");
        var out = new ArrayList<JsonNode>();
        for (String line : file.substring(0, file.length() - 1).split("\n", -1)) {
            try {
                out.add(BabbleClient.json().readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return out;
    }

    static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("seq").asLong()).toList();
    }
}
