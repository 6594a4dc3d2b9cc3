package babble.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.ImportResult;
import babble.contracts.api.JobView;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.contracts.events.PostCreated;
import babble.contracts.internal.UploadView;
import babble.messages.MessagesService;
import babble.platform.bus.Event;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.identity.IdentityCodec;
import babble.platform.json.Json;
import babble.platform.testing.TestHarness;
import babble.platform.testing.TestStores;
import babble.posts.PostsService;
import babble.rooms.RoomsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code import-posts} job on the real jobs store and queue, beside real rooms and posts services: a file
 * uploaded in parts, read line by line, written in batches (of 50 here, at most 2,000 posts a second, so an import
 * can be caught running), counted exactly even when its worker is lost mid-way.
 */
class ImportPostsTest {
    static final Path FILES = TestStores.tempDir();
    static final long MAX_BYTES = 3L * 1024 * 1024;
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(Map.of("BABBLE_JOBS_IMPORT_BATCH", "50", "BABBLE_JOBS_IMPORT_RATE", "2000",
                        "BABBLE_JOBS_IMPORT_MAX_BYTES", Long.toString(MAX_BYTES), "BABBLE_JOBS_FILES_DIR", FILES.toString(),
                        "BABBLE_JOBS_LEASE", "2s", "BABBLE_JOBS_SWEEP_EVERY", "200ms", "BABBLE_JOBS_UPLOAD_TTL", "2s",
                        "BABBLE_JOBS_RETRY_BASE", "50ms"),
                new RoomsService(), new MessagesService(), new PostsService(), new JobsService());
        harness.launcher().infrastructure().bus().consume("test-imports", "events.post.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    // ---- uploads, as the gateway sends them ----

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "reddit"), owner).as(RoomView.class);
    }

    private static TestHarness.Reply startUpload(Identity as, Object roomId, String format, Long size) {
        var body = new HashMap<String, Object>();
        body.put("roomId", roomId);
        body.put("format", format);
        body.put("size", size);
        return harness.call("jobs", "POST", "/internal/uploads", body, as);
    }

    private static UUID newUpload(Identity as, UUID roomId) {
        var reply = startUpload(as, roomId, "reddit", null);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(UploadView.class).id();
    }

    /** A part's raw bytes (the harness sends JSON). */
    private static int part(Identity as, UUID upload, int n, byte[] bytes) {
        var request = HttpRequest.newBuilder(harness.url("jobs").resolve("/internal/uploads/" + upload + "/parts/" + n))
                .header(IdentityCodec.HEADER, harness.codec().sign(as)).header("Content-Type", "application/octet-stream")
                // A large part asks first (Expect: 100-continue), as upload clients do: a part the
                // server refuses (413) before reading it may be answered with the connection closed under a client
                // still sending, which then never reads the answer ("header parser received no bytes").
                .expectContinue(bytes.length > 64 * 1024)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TestHarness.Reply importUpload(Identity as, UUID upload, Map<String, String> headers) {
        return harness.call("jobs", "POST", "/internal/uploads/" + upload + "/import", null, as, headers);
    }

    /** Uploads the file in parts of {@code partBytes} (cut anywhere, inside a character too) and starts the import. */
    private static JobView imported(Identity as, UUID roomId, byte[] file, int partBytes) {
        UUID upload = newUpload(as, roomId);
        for (int n = 0, from = 0; from < file.length; n++, from += partBytes) {
            assertThat(part(as, upload, n, Arrays.copyOfRange(file, from, Math.min(file.length, from + partBytes))))
                    .isEqualTo(204);
        }
        var reply = importUpload(as, upload, Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        assertThat(reply.header("Location")).isEqualTo("/api/v1/jobs/" + reply.as(JobView.class).id());
        return reply.as(JobView.class);
    }

    private static JobView job(Identity as, UUID id) {
        return harness.call("jobs", "GET", "/api/v1/jobs/" + id, null, as).as(JobView.class);
    }

    private static JobView finished(Identity as, UUID id) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> job(as, id),
                j -> !j.status().equals("queued") && !j.status().equals("running"));
    }

    private static ImportResult result(JobView job) {
        assertThat(job.status()).as("job %s: %s", job.id(), job.error()).isEqualTo("succeeded");
        return Json.convert(Json.toTree(job.result()), ImportResult.class);
    }

    private static Database database(String service) {
        return harness.launcher().host(service).orElseThrow().chassis().database();
    }

    private static long postsInRoom(UUID roomId) {
        return database("posts").withHandle(h -> h.createQuery("select count(*) from posts where room_id = :room")
                .bind("room", roomId).mapTo(Long.class).one());
    }

    private static List<PostView> announced(UUID roomId) {
        return events.stream().filter(e -> e.type().equals(PostCreated.TYPE)).map(e -> e.dataAs(PostCreated.class).post())
                .filter(p -> p.roomId().equals(roomId)).toList();
    }

    /** Every post of the room written once, and announced once. */
    private static void assertEachPostOnce(UUID roomId, long posts) {
        assertThat(postsInRoom(roomId)).isEqualTo(posts);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(announced(roomId)).hasSize((int) posts));
        assertThat(announced(roomId).stream().map(PostView::title).distinct().count()).isEqualTo(posts);
    }

    // ---- the import ----

    @Test
    void everyLineOfAFileWithBrokenLinesIsCountedAndEveryGoodOneBecomesOnePost() {
        var owner = TestHarness.user("importer");
        RoomView room = room(owner);
        var file = new RedditLines("a").posts(1, 300).everyKindOfBrokenLine().blank().posts(301, 600).blank()
                .post(5) /* the same name again: already there */.posts(601, 700);

        JobView job = finished(owner, imported(owner, room.id(), file.bytes(false), 100_003).id());

        ImportResult result = result(job);
        assertThat(result.imported()).isEqualTo(700);
        assertThat(result.existing()).as("a name the file had already").isEqualTo(1);
        assertThat(result.skipped()).isEqualTo(12);
        assertThat(result.errors()).extracting(ImportResult.ImportError::line).containsExactlyElementsOf(file.brokenLines());
        var reasons = result.errors().stream().map(ImportResult.ImportError::reason).toList();
        assertThat(reasons.subList(0, 2)).allSatisfy(reason -> assertThat(reason).startsWith("not JSON ("));
        assertThat(reasons.subList(2, 12)).containsExactly("not a JSON object", "name is missing", "title is missing",
                "title is empty", "created_utc is not a number of seconds", "created_utc is missing",
                "selftext is longer than 40000 characters", "is_self is not a boolean", "score is not a whole number",
                "name is not a key (1 to 128 visible ASCII characters)");
        assertThat(job.progress().done()).isEqualTo(file.lineCount());
        assertThat(job.progress().total()).isEqualTo((long) file.lineCount());
        assertEachPostOnce(room.id(), 700);
    }

    @Test
    void eachLineBecomesThePostItDescribes() {
        var owner = TestHarness.user("mapper");
        RoomView room = room(owner);
        var file = new RedditLines("m").posts(1, 12);

        result(finished(owner, imported(owner, room.id(), file.bytes(true), 1_000).id()));

        await().untilAsserted(() -> assertThat(announced(room.id())).hasSize(12));
        var byTitle = new HashMap<String, PostView>();
        announced(room.id()).forEach(p -> byTitle.put(p.title(), p));
        PostView self = byTitle.get("Post number 4 about café ✓");
        assertThat(self.status()).isEqualTo("approved");
        assertThat(self.body()).isEqualTo("Body of post 4\nwith a second line");
        assertThat(self.url()).as("a self post has no link").isNull();
        assertThat(self.createdAt()).isEqualTo(Instant.ofEpochSecond(1_400_000_240L, 500_000_000));
        assertThat(self.score()).isEqualTo(4);
        assertThat(self.author().displayName()).isEqualTo("u/author4");
        assertThat(self.author().id()).isEqualTo(owner.userId());
        assertThat(self.tags()).isEmpty();
        PostView link = byTitle.get("Post number 3 about café ✓");
        assertThat(link.body()).isNull();
        assertThat(link.url()).isEqualTo("https://example.org/article/3");
        assertThat(link.score()).isEqualTo(3);
        assertThat(link.tags()).containsExactly("ask-science");
        assertThat(link.createdAt()).isEqualTo(Instant.ofEpochSecond(1_400_000_180L));
        assertThat(byTitle.get("Post number 5 about café ✓").tags()).containsExactly("cafe-talk");
        assertThat(byTitle.get("Post number 5 about café ✓").createdAt()).isEqualTo(Instant.ofEpochSecond(1_400_000_300L));
        assertThat(byTitle.get("Post number 10 about café ✓").author().displayName()).isEqualTo("u/[deleted]");
    }

    @Test
    void importingTheSameFileAgainAddsNothing() {
        var owner = TestHarness.user("again");
        RoomView room = room(owner);
        byte[] file = new RedditLines("g").posts(1, 120).everyKindOfBrokenLine().bytes(true);
        result(finished(owner, imported(owner, room.id(), file, 4_096).id()));

        ImportResult again = result(finished(owner, imported(owner, room.id(), file, 65_536).id()));

        assertThat(again.imported()).isZero();
        assertThat(again.existing()).isEqualTo(120);
        assertThat(again.skipped()).isEqualTo(12);
        assertEachPostOnce(room.id(), 120);
    }

    @Test
    void aRunWhoseWorkerIsLostMidWayIsResumedFromItsCheckpointAndCountsStayExact() {
        var owner = TestHarness.user("survivor");
        RoomView room = room(owner);
        var file = new RedditLines("s").posts(1, 2_000).everyKindOfBrokenLine().posts(2_001, 4_000);
        UUID id = imported(owner, room.id(), file.bytes(true), 1024 * 1024).id();
        JobView running = await().atMost(Duration.ofSeconds(20)).until(() -> job(owner, id),
                j -> j.status().equals("running") && j.progress().done() > 0);

        // As another worker's claim does once the first one's lease ran out: the first can record nothing more, though
        // it may write one more batch; the job is taken up again when its queue entry comes back.
        int taken = database("jobs").inTransaction(tx -> tx.createUpdate("""
                        update jobs set epoch = epoch + 1, lease_until = :past where id = :id and status = 'running'""")
                .bind("past", java.time.OffsetDateTime.now().minusSeconds(5)).bind("id", id).execute());

        assertThat(taken).isEqualTo(1);
        JobView done = finished(owner, id);
        ImportResult result = result(done);
        assertThat(running.progress().done()).isLessThan(file.lineCount());
        assertThat(done.attempts()).as("resumed by a second run").isEqualTo(2);
        assertThat(result.imported()).isEqualTo(4_000);
        assertThat(result.existing()).isZero();
        assertThat(result.skipped()).isEqualTo(12);
        assertThat(result.errors()).extracting(ImportResult.ImportError::line).containsExactlyElementsOf(file.brokenLines());
        assertEachPostOnce(room.id(), 4_000);
    }

    @Test
    void cancellingAnImportStopsItAtItsNextCheckpoint() {
        var owner = TestHarness.user("canceller");
        RoomView room = room(owner);
        UUID id = imported(owner, room.id(), new RedditLines("c").posts(1, 8_000).bytes(true), 1024 * 1024).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> job(owner, id).progress().done() > 0);

        assertThat(harness.call("jobs", "DELETE", "/api/v1/jobs/" + id, null, owner).status()).isEqualTo(202);

        JobView cancelled = finished(owner, id);
        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(cancelled.progress().done()).isLessThan(8_000);
        long written = postsInRoom(room.id());
        assertThat(written).isPositive().isLessThan(8_000);
        assertEachPostOnce(room.id(), written);
    }

    // ---- uploads ----

    @Test
    void onlyTheRoomsOwnerStartsAnUploadAndBadOnesAreRefusedBeforeAnyByte() {
        var owner = TestHarness.user("owner");
        var member = TestHarness.user("member");
        var stranger = TestHarness.user("stranger");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, member);

        assertThat(startUpload(member, room.id(), "reddit", null).status()).isEqualTo(403);
        assertThat(startUpload(stranger, room.id(), "reddit", null).status()).isEqualTo(403);
        assertThat(startUpload(owner, UUID.randomUUID(), "reddit", null).status()).isEqualTo(404);
        assertThat(startUpload(owner, room.id(), "csv", null).invalidField()).isEqualTo("format");
        assertThat(startUpload(owner, null, "reddit", null).invalidField()).isEqualTo("roomId");
        var tooLarge = startUpload(owner, room.id(), "reddit", MAX_BYTES + 1);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(startUpload(owner, room.id(), "reddit", MAX_BYTES).status()).isEqualTo(201);
    }

    @Test
    void partsGoInOrderToTheirOwnerAndTheSamePartSentAgainReplacesItself() {
        var owner = TestHarness.user("sender");
        var other = TestHarness.user("other");
        RoomView room = room(owner);
        byte[] file = new RedditLines("p").posts(1, 30).bytes(true);
        UUID upload = newUpload(owner, room.id());
        int half = file.length / 2;

        assertThat(part(owner, upload, 1, file)).as("part 0 comes first").isEqualTo(409);
        assertThat(part(other, upload, 0, file)).as("someone else's upload").isEqualTo(404);
        assertThat(part(owner, upload, 0, Arrays.copyOfRange(file, 0, half))).isEqualTo(204);
        assertThat(part(owner, upload, 1, "garbage that a retry replaces".getBytes())).isEqualTo(204);
        assertThat(part(owner, upload, 1, Arrays.copyOfRange(file, half, file.length))).isEqualTo(204);
        assertThat(part(owner, upload, 0, file)).as("only the last part may be sent again").isEqualTo(409);
        assertThat(part(owner, upload, 3, file)).isEqualTo(409);
        assertThat(part(owner, upload, -1, file)).isEqualTo(404);

        ImportResult result = result(finished(owner, importUpload(owner, upload, Map.of()).as(JobView.class).id()));
        assertThat(result.imported()).isEqualTo(30);
        assertThat(result.skipped()).isZero();
        assertThat(part(owner, upload, 2, file)).as("once imported, an upload takes no more parts").isIn(404, 409);
    }

    @Test
    void anUploadOverTheLimitOrAPartOverAMebibyteIs413() {
        var owner = TestHarness.user("heavy");
        RoomView room = room(owner);
        byte[] mebibyte = new byte[1024 * 1024];
        Arrays.fill(mebibyte, (byte) '\n');
        UUID upload = newUpload(owner, room.id());

        assertThat(part(owner, upload, 0, new byte[1024 * 1024 + 100 * 1024])).isEqualTo(413);
        for (int n = 0; n < MAX_BYTES / mebibyte.length; n++) {
            assertThat(part(owner, upload, n, mebibyte)).isEqualTo(204);
        }
        assertThat(part(owner, upload, 3, new byte[] {'\n'})).as("one byte over the upload's limit").isEqualTo(413);
    }

    @Test
    void importingAnUploadIsIdempotentAndAKeyNamesOneImportOfOneFile() {
        var owner = TestHarness.user("keyed");
        RoomView room = room(owner);
        byte[] file = new RedditLines("k").posts(1, 5).bytes(true);
        byte[] other = new RedditLines("k").posts(1, 6).bytes(true);
        UUID empty = newUpload(owner, room.id());
        assertThat(importUpload(owner, empty, Map.of()).invalidField()).isEqualTo("body");

        UUID first = newUpload(owner, room.id());
        part(owner, first, 0, file);
        var started = importUpload(owner, first, Map.of("Idempotency-Key", "import-k"));
        var again = importUpload(owner, first, Map.of());
        UUID second = newUpload(owner, room.id());
        part(owner, second, 0, file);
        var sameFileSameKey = importUpload(owner, second, Map.of("Idempotency-Key", "import-k"));
        UUID third = newUpload(owner, room.id());
        part(owner, third, 0, other);
        var otherFileSameKey = importUpload(owner, third, Map.of("Idempotency-Key", "import-k"));

        UUID job = started.as(JobView.class).id();
        assertThat(started.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.as(JobView.class).id()).isEqualTo(job);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(sameFileSameKey.as(JobView.class).id()).isEqualTo(job);
        assertThat(otherFileSameKey.status()).isEqualTo(422);
        assertThat(harness.call("jobs", "POST", "/api/v1/jobs", Map.of("kind", "import-posts"), owner).invalidField())
                .isEqualTo("kind");
        assertThat(result(finished(owner, job)).imported()).isEqualTo(5);
    }

    @Test
    void theSweepDeletesAnUploadOnceItsImportEndedAndOneThatWasAbandoned() {
        var owner = TestHarness.user("tidy");
        RoomView room = room(owner);
        UUID imported = newUpload(owner, room.id());
        assertThat(part(owner, imported, 0, new RedditLines("t").posts(1, 3).bytes(true))).isEqualTo(204);
        UUID job = importUpload(owner, imported, Map.of()).as(JobView.class).id();
        UUID abandoned = newUpload(owner, room.id());
        assertThat(part(owner, abandoned, 0, "{\"name\":".getBytes())).isEqualTo(204);

        assertThat(finished(owner, job).status()).isEqualTo("succeeded");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.of(imported, abandoned))
                .noneMatch(upload -> Files.exists(FILES.resolve(upload + ".0.upload"))));
        assertThat(part(owner, abandoned, 1, "\"x\"}".getBytes())).as("gone").isEqualTo(404);
    }
}
