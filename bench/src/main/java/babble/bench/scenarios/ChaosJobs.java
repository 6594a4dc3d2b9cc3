package babble.bench.scenarios;

import babble.bench.Target;
import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The jobs of a chaos run: an export of one of the load's rooms submitted every few seconds while services are
 * killed (each with its own {@code Idempotency-Key}, sent again with the same key while the answer is a 503, as a
 * careful client does). At the end every job must have succeeded, and its file must hold each message once, in seq
 * order, as many as its result says: a job run twice at once, or resumed from a wrong checkpoint, would show there.
 */
public final class ChaosJobs {
    private final Target target;
    private final UserSession owner;
    private final List<String> submitted = new ArrayList<>();
    private int refused;

    /** What the jobs came to: how many, how many attempts they took, and what was wrong. */
    public record Outcome(int submitted, int refused, int succeeded, Map<Integer, Integer> byAttempts, List<String> failures) {
    }

    ChaosJobs(Target target) {
        this.target = target;
        this.owner = target.users().getFirst(); // the owner of every room of the load
    }

    /** Submits the {@code n}th export (a room chosen by turn); a submission refused for a minute is counted. */
    void submit(int n) throws InterruptedException {
        UUID room = target.rooms().get(n % target.rooms().size());
        String key = UUID.randomUUID().toString();
        String body = "{\"kind\":\"export-room\",\"roomId\":\"" + room + "\",\"format\":\"jsonl\"}";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ApiResponse answer = target.client().call("POST", "/api/v1/jobs", body, owner.token(), Map.of("Idempotency-Key", key));
            if (answer.status() == 202 || answer.status() == 200) {
                submitted.add(answer.json().get("id").asText());
                return;
            }
            if (answer.status() != 503) {
                break;
            }
            Thread.sleep(500);
        }
        refused++;
    }

    /** Waits up to {@code patience} for every job to finish, then checks each one's file. */
    Outcome check(Duration patience) throws InterruptedException {
        var failures = new ArrayList<String>();
        var byAttempts = new TreeMap<Integer, Integer>();
        int succeeded = 0;
        long deadline = System.nanoTime() + patience.toNanos();
        for (String id : submitted) {
            JsonNode job = owner.call("GET", "/api/v1/jobs/" + id, null).orThrow().json();
            while (!finished(job) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                job = owner.call("GET", "/api/v1/jobs/" + id, null).orThrow().json();
            }
            byAttempts.merge(job.path("attempts").asInt(), 1, Integer::sum);
            if (!job.path("status").asText().equals("succeeded")) {
                failures.add("job " + id + " ended " + job.path("status").asText() + ": " + job.path("error").asText(""));
                continue;
            }
            String problem = checkFile(id, job.path("result").path("messages").asLong());
            if (problem == null) {
                succeeded++;
            } else {
                failures.add("job " + id + ": " + problem);
            }
        }
        if (refused > 0) {
            failures.add(refused + " exports refused for a minute");
        }
        return new Outcome(submitted.size(), refused, succeeded, byAttempts, failures);
    }

    private static boolean finished(JsonNode job) {
        String status = job.path("status").asText();
        return !status.equals("queued") && !status.equals("running");
    }

    /** Null when the file holds seqs 1..n once each, in order, n being what the job's result says; else what is wrong. */
    private String checkFile(String id, long messages) {
        ApiResponse file = owner.call("GET", "/api/v1/jobs/" + id + "/result", null);
        if (file.status() != 200) {
            return "its file answered " + file.status();
        }
        long expected = 1;
        for (String line : new String(file.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            long seq;
            try {
                seq = babble.client.BabbleClient.json().readTree(line).path("seq").asLong(-1);
            } catch (java.io.IOException e) {
                return "line " + expected + " is not JSON";
            }
            if (seq != expected) {
                return "line " + expected + " holds seq " + seq + " (a message twice, missing or out of order)";
            }
            expected++;
        }
        return expected - 1 == messages ? null : "its file holds " + (expected - 1) + " messages, its result says " + messages;
    }
}
