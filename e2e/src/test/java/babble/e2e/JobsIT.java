package babble.e2e;

import static babble.e2e.JobsApi.FINISHED;
import static babble.e2e.JobsApi.JOBS;
import static babble.e2e.JobsApi.JOB_FIELDS;
import static babble.e2e.JobsApi.awaitFinished;
import static babble.e2e.JobsApi.awaitProgress;
import static babble.e2e.JobsApi.cancel;
import static babble.e2e.JobsApi.done;
import static babble.e2e.JobsApi.export;
import static babble.e2e.JobsApi.getJob;
import static babble.e2e.JobsApi.history;
import static babble.e2e.JobsApi.id;
import static babble.e2e.JobsApi.job;
import static babble.e2e.JobsApi.jobPath;
import static babble.e2e.JobsApi.jsonLines;
import static babble.e2e.JobsApi.newJob;
import static babble.e2e.JobsApi.postMany;
import static babble.e2e.JobsApi.probe;
import static babble.e2e.JobsApi.result;
import static babble.e2e.JobsApi.seqs;
import static babble.e2e.JobsApi.status;
import static babble.e2e.JobsApi.submit;
import static babble.e2e.PostsApi.assertField;
import static babble.e2e.PostsApi.assertProblem;
import static babble.e2e.PostsApi.everyPage;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.LiveClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * API.md, "Jobs and imports": exports as asynchronous request-reply (202, Location, Retry-After; the hybrid
 * {@code Prefer: wait}), the live {@code job} frames, the exported file against the room's history, cancel,
 * retries, idempotent submits, who may see what, and every error. Slow and failing jobs are the shared
 * deployment's diagnostic {@code probe} kind.
 */
class JobsIT extends E2E {
    private static final Duration SHORT_JOB = Duration.ofSeconds(20);
    private static final List<String> LIFECYCLE = List.of("queued", "running", "succeeded");

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The job frames of one job on a socket, in arrival order, until one says it finished. */
    private static List<JsonNode> jobFramesUntilFinished(LiveClient socket, String jobId, Duration within) {
        var frames = new ArrayList<JsonNode>();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode frame = left <= 0 ? null : socket.next(Duration.ofNanos(left));
            if (frame == null) {
                throw new AssertionError("no finishing job frame for " + jobId + " within " + within + "; got " + frames);
            }
            if (frame.path("type").asText().equals("job") && frame.get("job").get("id").asText().equals(jobId)) {
                frames.add(frame.get("job"));
                if (FINISHED.contains(status(frame.get("job")))) {
                    return frames;
                }
            }
        }
    }

    /**
     * Each frame tells a change (of status or progress), once: no frame repeats an earlier one; and the statuses
     * only move forward along queued, running, succeeded.
     */
    private static void assertEachChangeOnceInOrder(List<JsonNode> frames) {
        assertThat(frames).as("each change of the job in one frame, never twice").doesNotHaveDuplicates();
        List<String> statuses = frames.stream().map(JobsApi::status).toList();
        for (int i = 1; i < statuses.size(); i++) {
            assertThat(LIFECYCLE.indexOf(statuses.get(i))).as("statuses in order: %s", statuses)
                    .isGreaterThanOrEqualTo(LIFECYCLE.indexOf(statuses.get(i - 1)));
        }
        List<Long> progress = frames.stream().map(JobsApi::done).toList();
        assertThat(progress).as("progress never goes back").isSorted();
    }

    private static void assertSubmitted(ApiResponse response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode job = response.json();
        assertThat(fieldNames(job)).containsExactlyInAnyOrderElementsOf(JOB_FIELDS);
        assertThat(response.header("Location")).isEqualTo(jobPath(id(job)));
    }

    private UUID roomWithMessages(UserSession owner, String name, int count, UserSession... others) throws Exception {
        UUID room = owner.createRoom(name).id();
        var posters = new ArrayList<>(List.of(owner));
        for (var other : others) {
            other.join(room);
            posters.add(other);
        }
        postMany(posters, room, count);
        return room;
    }

    // ---- exports ----

    @Test
    void aJsonlExportAnswers202ThenTellsTheOwnerLiveAndItsFileIsTheRoomsHistoryLineByLine() throws Exception {
        var ann = newUser("ann");
        var ben = newUser("ben");
        UUID room = roomWithMessages(ann, "Export me, please", 250, ben);
        List<JsonNode> history = history(ann, room);
        assertThat(seqs(history)).isEqualTo(LongStream.rangeClosed(1, 250).boxed().toList());

        try (var annSocket = live(ann); var benSocket = live(ben)) {
            Instant before = Instant.now().minusSeconds(60);
            ApiResponse submitted = submit(ann, export(room, "jsonl"));

            assertSubmitted(submitted, 202);
            assertThat(submitted.header("Retry-After")).isEqualTo("1");
            JsonNode job = submitted.json();
            String id = id(job);
            assertThat(job.get("kind").asText()).isEqualTo("export-room");
            assertThat(status(job)).isIn("queued", "running");
            assertThat(job.get("progress").has("done")).isTrue();
            assertThat(job.get("progress").has("total")).isTrue();
            assertThat(job.get("result").isNull()).isTrue();
            assertThat(Instant.parse(job.get("createdAt").asText())).isBetween(before, Instant.now().plusSeconds(60));

            List<JsonNode> frames = jobFramesUntilFinished(annSocket, id, SHORT_JOB);
            assertEachChangeOnceInOrder(frames);
            assertThat(frames).extracting(JobsApi::status).contains("running");
            JsonNode last = frames.getLast();
            assertThat(status(last)).isEqualTo("succeeded");
            assertThat(last.get("progress").get("done").asLong()).isEqualTo(250);
            assertThat(last.get("progress").get("total").asLong()).isEqualTo(250);

            JsonNode finished = job(ann, id);
            assertThat(finished).as("the last frame is the job as GET answers it").isEqualTo(last);
            assertThat(fieldNames(finished)).containsExactlyInAnyOrderElementsOf(JOB_FIELDS);
            assertThat(finished.get("attempts").asInt()).isEqualTo(1);
            assertThat(finished.get("error").isNull()).isTrue();
            Instant created = Instant.parse(finished.get("createdAt").asText());
            Instant started = Instant.parse(finished.get("startedAt").asText());
            Instant ended = Instant.parse(finished.get("finishedAt").asText());
            assertThat(created).isBeforeOrEqualTo(started);
            assertThat(started).isBeforeOrEqualTo(ended);
            JsonNode summary = finished.get("result");
            assertThat(summary.get("fileName").asText()).isEqualTo("room-Export-me-please.jsonl");
            assertThat(summary.get("format").asText()).isEqualTo("jsonl");
            assertThat(summary.get("roomId").asText()).isEqualTo(room.toString());
            assertThat(summary.get("messages").asLong()).isEqualTo(250);

            ApiResponse file = result(ann, id);
            assertThat(file.status()).as(file.text()).isEqualTo(200);
            assertThat(file.header("Content-Disposition")).isEqualTo("attachment; filename=\"room-Export-me-please.jsonl\"");
            assertThat(file.contentType()).startsWith("application/x-ndjson");
            assertThat(file.body().length).isEqualTo(summary.get("bytes").asLong());
            List<JsonNode> lines = jsonLines(file.text());
            assertThat(lines).hasSize(250);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).as("line %d", i + 1).isEqualTo(history.get(i));
            }

            assertThat(benSocket.drain(Duration.ofMillis(500))).as("job frames go to the owner's sockets only")
                    .noneMatch(f -> f.path("type").asText().equals("job"));
        }
    }

    @Test
    void aMarkdownExportStartsWithTheRoomsNameAndHasEveryMessageInOrder() throws Exception {
        var cy = newUser("cy");
        UUID room = roomWithMessages(cy, "Notes & plans", 30);
        List<JsonNode> history = history(cy, room);

        String id = id(newJob(cy, export(room, "markdown")));
        JsonNode finished = awaitFinished(cy, id, SHORT_JOB);

        assertThat(status(finished)).as(finished.toString()).isEqualTo("succeeded");
        assertThat(finished.get("result").get("fileName").asText()).isEqualTo("room-Notes-plans.md");
        assertThat(finished.get("result").get("format").asText()).isEqualTo("markdown");
        assertThat(finished.get("result").get("messages").asLong()).isEqualTo(30);
        ApiResponse file = result(cy, id);
        assertThat(file.status()).as(file.text()).isEqualTo(200);
        assertThat(file.header("Content-Disposition")).isEqualTo("attachment; filename=\"room-Notes-plans.md\"");
        assertThat(file.contentType()).startsWith("text/markdown");
        String markdown = file.text();
        assertThat(markdown).startsWith("# Notes & plans\n");
        int from = 0;
        for (JsonNode message : history) {
            int at = markdown.indexOf(message.get("text").asText() + "\n", from);
            assertThat(at).as("%s after offset %d", message.get("text").asText(), from).isGreaterThan(from);
            assertThat(markdown.substring(from, at)).contains(message.get("username").asText());
            from = at;
        }
    }

    @Test
    void preferWaitAnswers201WithTheFinishedJobWhenItEndsInTime() throws Exception {
        var dee = newUser("dee");
        UUID room = roomWithMessages(dee, "quick", 5);

        ApiResponse response = submit(dee, export(room, "jsonl"), Map.of("Prefer", "wait=10"));

        assertSubmitted(response, 201);
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=10");
        assertThat(status(response.json())).isEqualTo("succeeded");
        assertThat(response.json().get("result").get("messages").asLong()).isEqualTo(5);
        assertThat(response.json().get("finishedAt").isNull()).isFalse();
        assertThat(jsonLines(result(dee, id(response.json())).text())).isEqualTo(history(dee, room));
    }

    @Test
    void preferWaitAboveThirtyIsAppliedAsThirty() {
        var eve = newUser("eve");

        ApiResponse response = submit(eve, probe(0, 0, 0), Map.of("Prefer", "wait=100"));

        assertSubmitted(response, 201);
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=30");
        assertThat(status(response.json())).isEqualTo("succeeded");
    }

    @Test
    void preferWaitZeroOrAJobOutlastingTheWaitAnswers202() {
        var fay = newUser("fay");

        ApiResponse now = submit(fay, probe(0, 0, 0), Map.of("Prefer", "wait=0"));
        assertSubmitted(now, 202);
        assertThat(now.header("Preference-Applied")).isEqualTo("wait=0");
        assertThat(now.header("Retry-After")).isEqualTo("1");

        long start = System.nanoTime();
        ApiResponse slow = submit(fay, probe(30, 100, 0), Map.of("Prefer", "wait=1"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertSubmitted(slow, 202);
        assertThat(slow.header("Preference-Applied")).isEqualTo("wait=1");
        assertThat(status(slow.json())).isIn("queued", "running");
        assertThat(tookMs).as("it waited about the second it was given").isBetween(900L, 5_000L);
        cancel(fay, id(slow.json()));
        assertThat(status(awaitFinished(fay, id(now.json()), SHORT_JOB))).isEqualTo("succeeded");
    }

    @Test
    void aSlowJobReportsProgressLiveAtMostOnceASecond() {
        var gus = newUser("gus");
        try (var socket = live(gus)) {
            String id = id(newJob(gus, probe(25, 100, 0)));

            List<JsonNode> frames = jobFramesUntilFinished(socket, id, SHORT_JOB);

            assertEachChangeOnceInOrder(frames);
            JsonNode last = frames.getLast();
            assertThat(status(last)).isEqualTo("succeeded");
            assertThat(last.get("progress").get("done").asLong()).isEqualTo(25);
            assertThat(last.get("progress").get("total").asLong()).isEqualTo(25);
            List<JsonNode> progress = frames.stream()
                    .filter(f -> status(f).equals("running") && done(f) > 0 && done(f) < 25).toList();
            assertThat(progress).as("progress frames while it ran: %s", frames).isNotEmpty();
            progress.forEach(f -> assertThat(f.get("progress").get("total").asLong()).isEqualTo(25));
            JsonNode finished = job(gus, id);
            long ranMs = Duration.between(Instant.parse(finished.get("startedAt").asText()),
                    Instant.parse(finished.get("finishedAt").asText())).toMillis();
            assertThat((long) progress.size()).as("at most one progress frame a second over %d ms: %s", ranMs, frames)
                    .isLessThanOrEqualTo(ranMs / 1_000 + 1);
            assertThat(finished.get("result").get("steps").asInt()).isEqualTo(25);
            assertThat(finished.get("result").get("attempt").asInt()).isEqualTo(1);
        }
    }

    // ---- cancel ----

    @Test
    void cancellingARunningJobStopsItAtItsNextCheckpoint() {
        var hal = newUser("hal");
        String id = id(newJob(hal, probe(100, 100, 0)));
        awaitProgress(hal, id, SHORT_JOB);

        ApiResponse cancelled = cancel(hal, id);

        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(202);
        assertThat(id(cancelled.json())).isEqualTo(id);
        assertThat(status(cancelled.json())).isIn("running", "cancelled");
        JsonNode finished = awaitFinished(hal, id, Duration.ofSeconds(5));
        assertThat(status(finished)).isEqualTo("cancelled");
        assertThat(done(finished)).as("it stopped long before its 100 steps").isLessThan(100);
        assertThat(finished.get("finishedAt").isNull()).isFalse();
        assertThat(finished.get("result").isNull()).isTrue();
        assertProblem(result(hal, id), 409);
    }

    @Test
    void cancellingAQueuedJobCancelsItAtOnce() {
        var ida = newUser("ida");
        // Enough long jobs to keep every worker of the deployment busy, so the next one waits in the queue.
        List<String> blockers = IntStream.range(0, 8).mapToObj(i -> id(newJob(ida, probe(300, 100, 0)))).toList();
        try {
            String waiting = id(newJob(ida, probe(1, 0, 0)));
            assertThat(status(job(ida, waiting))).isEqualTo("queued");

            ApiResponse cancelled = cancel(ida, waiting);

            assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(202);
            assertThat(status(cancelled.json())).isEqualTo("cancelled");
            assertThat(cancelled.json().get("finishedAt").isNull()).isFalse();
            assertThat(status(job(ida, waiting))).isEqualTo("cancelled");
            assertThat(job(ida, waiting).get("startedAt").isNull()).as("it never ran").isTrue();
        } finally {
            blockers.forEach(b -> cancel(ida, b));
        }
        for (String blocker : blockers) {
            assertThat(status(awaitFinished(ida, blocker, SHORT_JOB))).isEqualTo("cancelled");
        }
    }

    @Test
    void cancellingAFinishedJobIs409AndChangesNothing() {
        var jo = newUser("jo");
        ApiResponse done = submit(jo, probe(0, 0, 0), Map.of("Prefer", "wait=10"));
        assertSubmitted(done, 201);
        String id = id(done.json());

        assertProblem(cancel(jo, id), 409);

        assertThat(status(job(jo, id))).isEqualTo("succeeded");
    }

    // ---- idempotency ----

    @Test
    void theSameIdempotencyKeyAnswersTheSameJobAndADifferentBodyWithItIs422() {
        var kim = newUser("kim");
        var key = Map.of("Idempotency-Key", "export-" + UUID.randomUUID());

        ApiResponse first = submit(kim, probe(2, 10, 0), key);
        ApiResponse again = submit(kim, probe(2, 10, 0), key);

        assertSubmitted(first, 202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).as(again.text()).isIn(201, 202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(id(again.json())).isEqualTo(id(first.json()));
        assertThat(again.header("Location")).isEqualTo(jobPath(id(first.json())));

        ApiResponse other = submit(kim, probe(3, 10, 0), key);
        AccountsIT.assertProblem(other, 422);

        List<JsonNode> jobs = everyPage(kim, JOBS + "?limit=10", "jobs");
        assertThat(jobs).extracting(JobsApi::id).containsExactly(id(first.json()));
        assertThat(status(awaitFinished(kim, id(first.json()), SHORT_JOB))).isEqualTo("succeeded");
        assertThat(submit(kim, probe(2, 10, 0), key).header("Idempotent-Replayed")).as("after it finished too")
                .isEqualTo("true");
    }

    // ---- failures and retries ----

    @Test
    void aJobThatAlwaysFailsEndsFailedAfterThreeAttemptsWithItsError() {
        var lou = newUser("lou");
        String id = id(newJob(lou, probe(1, 0, -1)));

        JsonNode finished = awaitFinished(lou, id, SHORT_JOB);

        assertThat(status(finished)).as(finished.toString()).isEqualTo("failed");
        assertThat(finished.get("attempts").asInt()).isEqualTo(3);
        assertThat(finished.get("error").asText()).isNotBlank();
        assertThat(finished.get("result").isNull()).isTrue();
        assertThat(finished.get("finishedAt").isNull()).isFalse();
        assertProblem(result(lou, id), 409);
        assertProblem(cancel(lou, id), 409);
    }

    @Test
    void aJobThatFailsOnceSucceedsOnItsSecondAttempt() {
        var max = newUser("max");
        String id = id(newJob(max, probe(3, 10, 1)));

        JsonNode finished = awaitFinished(max, id, SHORT_JOB);

        assertThat(status(finished)).as(finished.toString()).isEqualTo("succeeded");
        assertThat(finished.get("attempts").asInt()).isEqualTo(2);
        assertThat(finished.get("result").get("attempt").asInt()).isEqualTo(2);
        assertThat(finished.get("result").get("steps").asInt()).isEqualTo(3);
        assertThat(finished.get("progress").get("done").asLong()).isEqualTo(3);
    }

    @Test
    void theResultIs409UntilTheJobSucceeded() {
        var ned = newUser("ned");
        String id = id(newJob(ned, probe(100, 100, 0)));
        try {
            assertProblem(result(ned, id), 409);
            awaitProgress(ned, id, SHORT_JOB);
            assertProblem(result(ned, id), 409);
        } finally {
            cancel(ned, id);
        }
        assertThat(status(awaitFinished(ned, id, SHORT_JOB))).isEqualTo("cancelled");
        assertProblem(result(ned, id), 409);
    }

    // ---- who may do what ----

    @Test
    void anotherUsersJobIsNotFoundForGetCancelAndResult() throws Exception {
        var olga = newUser("olga");
        var pat = newUser("pat");
        UUID room = roomWithMessages(olga, "shared room", 3, pat);
        ApiResponse done = submit(olga, export(room, "jsonl"), Map.of("Prefer", "wait=10"));
        assertSubmitted(done, 201);
        String finished = id(done.json());
        String running = id(newJob(olga, probe(100, 100, 0)));
        try {
            for (String id : List.of(finished, running)) {
                assertProblem(getJob(pat, id), 404);
                assertProblem(cancel(pat, id), 404);
                assertProblem(result(pat, id), 404);
            }
            assertThat(everyPage(pat, JOBS + "?limit=10", "jobs")).isEmpty();
            assertThat(status(job(olga, running))).as("not cancelled by another").isIn("queued", "running");
            String unknown = UUID.randomUUID().toString();
            assertProblem(getJob(olga, unknown), 404);
            assertProblem(cancel(olga, unknown), 404);
            assertProblem(result(olga, unknown), 404);
            assertProblem(client.call("GET", jobPath(finished), null, null), 401);
            assertProblem(client.call("GET", JOBS, null, null), 401);
            assertProblem(client.call("POST", JOBS, export(room, "jsonl"), null), 401);
        } finally {
            cancel(olga, running);
        }
    }

    @Test
    void exportingARoomNeedsMembershipAndAnExistingRoom() {
        var quin = newUser("quin");
        var rae = newUser("rae");
        UUID room = quin.createRoom("members only").id();

        assertProblem(submit(rae, export(room, "jsonl")), 403);
        assertProblem(submit(rae, export(UUID.randomUUID(), "jsonl")), 404);

        assertThat(everyPage(rae, JOBS + "?limit=10", "jobs")).isEmpty();
    }

    @Test
    void badKindFormatOrMissingRoomIs422NamingTheField() {
        var sal = newUser("sal");
        UUID room = sal.createRoom("bad jobs").id();
        var noRoom = new HashMap<String, Object>(export(room, "jsonl"));
        noRoom.remove("roomId");
        var noKind = new HashMap<String, Object>(export(room, "jsonl"));
        noKind.remove("kind");

        assertField(submit(sal, Map.of("kind", "mine-bitcoin", "roomId", room.toString())), "kind");
        assertField(submit(sal, noKind), "kind");
        assertField(submit(sal, export(room, "pdf")), "format");
        assertField(submit(sal, noRoom), "roomId");
        assertProblem(submit(sal, "{\"kind\": "), 400);
        assertField(sal.call("GET", JOBS + "?status=finished", null), "status");

        assertThat(everyPage(sal, JOBS + "?limit=10", "jobs")).isEmpty();
    }

    // ---- lists ----

    @Test
    void theListIsTheCallersJobsNewestFirstPageByPage() {
        var tom = newUser("tom");
        var uma = newUser("uma");
        var submitted = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            ApiResponse response = submit(tom, probe(0, 0, 0), Map.of("Prefer", "wait=10"));
            assertSubmitted(response, 201);
            submitted.add(id(response.json()));
        }
        String failing = id(newJob(tom, probe(0, 0, -1)));
        assertThat(status(awaitFinished(tom, failing, SHORT_JOB))).isEqualTo("failed");
        newJob(uma, probe(0, 0, 0));

        var pages = new ArrayList<Integer>();
        var listed = new ArrayList<String>();
        String path = JOBS + "?limit=2";
        while (path != null) {
            JsonNode page = PostsApi.ok(tom, path);
            pages.add(page.get("jobs").size());
            page.get("jobs").forEach(j -> {
                assertThat(fieldNames(j)).containsExactlyInAnyOrderElementsOf(JOB_FIELDS);
                listed.add(id(j));
            });
            assertThat(page.has("next")).isTrue();
            path = page.get("next").isNull() ? null
                    : JOBS + "?limit=2&cursor=" + java.net.URLEncoder.encode(page.get("next").asText(), java.nio.charset.StandardCharsets.UTF_8);
        }

        var expected = new ArrayList<>(submitted);
        expected.add(failing);
        assertThat(listed).as("newest first").containsExactlyElementsOf(expected.reversed());
        assertThat(pages).containsExactly(2, 2, 2);
        assertThat(everyPage(tom, JOBS + "?status=succeeded&limit=2", "jobs")).extracting(JobsApi::id)
                .containsExactlyElementsOf(submitted.reversed());
        assertThat(everyPage(tom, JOBS + "?status=failed&limit=2", "jobs")).extracting(JobsApi::id).containsExactly(failing);
        assertThat(everyPage(tom, JOBS + "?status=running&limit=2", "jobs")).isEmpty();
    }
}
