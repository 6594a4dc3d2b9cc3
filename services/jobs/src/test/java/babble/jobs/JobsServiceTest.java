package babble.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.JobList;
import babble.contracts.api.JobView;
import babble.contracts.api.MessageList;
import babble.contracts.api.MessageView;
import babble.contracts.api.RoomView;
import babble.contracts.events.JobUpdated;
import babble.messages.MessagesService;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.testing.TestHarness;
import babble.posts.PostsService;
import babble.rooms.RoomsService;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jobs service on its real store and queue (H2 and the store queue; PostgreSQL and Redis Streams in the
 * production-adapter run), beside real rooms and messages services that an export reads (and posts, which an
 * import writes to: {@link ImportPostsTest}).
 */
class JobsServiceTest {
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(Map.of("BABBLE_JOBS_PROBE", "true", "BABBLE_JOBS_RETRY_BASE", "50ms",
                "BABBLE_JOBS_RETRY_MAX", "200ms"), new RoomsService(), new MessagesService(), new PostsService(), new JobsService());
        harness.launcher().infrastructure().bus().consume("test-jobs", "events.job.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RoomView roomWith(Identity owner, int messages) {
        var room = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "export me"), owner).as(RoomView.class);
        for (int i = 1; i <= messages; i++) {
            var reply = harness.call("messages", "POST", "/api/v1/rooms/" + room.id() + "/messages",
                    Map.of("text", "message " + i + (i % 7 == 0 ? "\nwith a second line" : "")), owner);
            assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        }
        return room;
    }

    private static TestHarness.Reply submit(Identity as, Object body, Map<String, String> headers) {
        return harness.call("jobs", "POST", "/api/v1/jobs", body, as, headers);
    }

    private static JobView finished(Identity as, UUID id) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> get(as, id),
                j -> !j.status().equals("queued") && !j.status().equals("running"));
    }

    private static JobView get(Identity as, UUID id) {
        return harness.call("jobs", "GET", "/api/v1/jobs/" + id, null, as).as(JobView.class);
    }

    private static List<MessageView> history(Identity as, RoomView room) {
        var all = new ArrayList<MessageView>();
        long after = 0;
        while (true) {
            var page = harness.call("messages", "GET", "/api/v1/rooms/" + room.id() + "/messages?limit=200&after=" + after,
                    null, as).as(MessageList.class).messages();
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.getLast().seq();
        }
    }

    /** The result, fetched range by range as the gateway does. */
    private static byte[] download(Identity as, UUID id) {
        var out = new ByteArrayOutputStream();
        long from = 0;
        while (true) {
            var reply = harness.call("jobs", "GET", "/api/v1/jobs/" + id + "/result", null, as,
                    Map.of("Range", "bytes=" + from + "-" + (from + 9_999)));
            if (reply.status() == 200) {
                return reply.body(); // an empty file
            }
            assertThat(reply.status()).as(reply.text()).isEqualTo(206);
            out.writeBytes(reply.body());
            from += reply.body().length;
            String range = reply.header("Content-Range");
            if (from >= Long.parseLong(range.substring(range.indexOf('/') + 1))) {
                return out.toByteArray();
            }
        }
    }

    @Test
    void anExportWritesTheRoomsWholeHistoryAsJsonLinesAndAnnouncesEachChange() {
        var owner = TestHarness.user("exporter");
        RoomView room = roomWith(owner, 450);

        var reply = submit(owner, Map.of("kind", "export-room", "roomId", room.id(), "format", "jsonl"), Map.of());

        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        JobView job = reply.as(JobView.class);
        assertThat(reply.header("Location")).isEqualTo("/api/v1/jobs/" + job.id());
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(job.status()).isEqualTo("queued");
        JobView done = finished(owner, job.id());
        assertThat(done.status()).isEqualTo("succeeded");
        assertThat(done.progress().done()).isEqualTo(450);
        assertThat(done.progress().total()).isEqualTo(450L);
        assertThat(done.result()).containsEntry("messages", 450).containsEntry("fileName", "room-export-me.jsonl");

        String[] lines = new String(download(owner, job.id()), StandardCharsets.UTF_8).split("\n");
        List<MessageView> history = history(owner, room);
        assertThat(lines).hasSize(450);
        for (int i = 0; i < lines.length; i++) {
            assertThat(Json.read(lines[i], MessageView.class)).isEqualTo(history.get(i));
        }
        var whole = harness.call("jobs", "GET", "/api/v1/jobs/" + job.id() + "/result", null, owner);
        assertThat(whole.header("Content-Disposition")).isEqualTo("attachment; filename=\"room-export-me.jsonl\"");
        assertThat(whole.text().split("\n")).containsExactly(lines);

        await().untilAsserted(() -> assertThat(events.stream().map(e -> e.dataAs(JobUpdated.class))
                .filter(u -> u.job().id().equals(job.id())).map(u -> u.job().status()).toList())
                .startsWith("queued", "running").endsWith("succeeded"));
        assertThat(events.stream().map(e -> e.dataAs(JobUpdated.class)).filter(u -> u.job().id().equals(job.id())))
                .allSatisfy(u -> assertThat(u.ownerId()).isEqualTo(owner.userId()));
    }

    @Test
    void aMarkdownExportHasTheRoomAsTitleAndEachMessageAsAParagraph() {
        var owner = TestHarness.user("markdown");
        RoomView room = roomWith(owner, 8);
        String message = "/api/v1/rooms/" + room.id() + "/messages/";
        assertThat(harness.call("messages", "DELETE", message + 2, null, owner).status()).isEqualTo(204);
        assertThat(harness.call("messages", "PATCH", message + 3, Map.of("text", "message three"), owner).status())
                .isEqualTo(200);

        var reply = submit(owner, Map.of("kind", "export-room", "roomId", room.id(), "format", "markdown"),
                Map.of("Prefer", "wait=10"));

        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        assertThat(reply.header("Preference-Applied")).isEqualTo("wait=10");
        String text = new String(download(owner, reply.as(JobView.class).id()), StandardCharsets.UTF_8);
        assertThat(text).startsWith("# export me\n\n**markdown** · ").contains("message 7  \nwith a second line\n\n")
                .endsWith("message 8\n\n");
        // A deleted message keeps its place without its text; an edited one is exported as it is now.
        assertThat(text).contains("\n*message deleted* · ").doesNotContain("message 2").contains(" (edited ")
                .contains("\nmessage three\n\n").doesNotContain("message 3\n");
    }

    @Test
    void preferWaitAnswers202WhenTheJobOutlastsTheWait() {
        var user = TestHarness.user("waiter");
        var reply = submit(user, Map.of("kind", "probe", "steps", 3, "stepMillis", 800), Map.of("Prefer", "wait=1"));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.as(JobView.class).status()).isIn("queued", "running");
        assertThat(finished(user, reply.as(JobView.class).id()).status()).isEqualTo("succeeded");
    }

    @Test
    void aJobThatAlwaysFailsEndsFailedAfterItsAttemptsAndOneThatFailsOnceSucceedsOnTheSecond() {
        var user = TestHarness.user("unlucky");
        UUID always = submit(user, Map.of("kind", "probe", "failures", -1), Map.of()).as(JobView.class).id();
        UUID once = submit(user, Map.of("kind", "probe", "failures", 1, "steps", 2), Map.of()).as(JobView.class).id();

        JobView failed = finished(user, always);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).contains("probe failure on attempt 3");
        JobView succeeded = finished(user, once);
        assertThat(succeeded.status()).isEqualTo("succeeded");
        assertThat(succeeded.attempts()).isEqualTo(2);
        assertThat(succeeded.error()).isNull();
        assertThat(succeeded.result()).containsEntry("attempt", 2).containsEntry("steps", 2);
    }

    @Test
    void cancellingStopsARunningJobAtItsNextCheckpointAndAFinishedJobCannotBeCancelled() {
        var user = TestHarness.user("canceller");
        UUID id = submit(user, Map.of("kind", "probe", "steps", 100, "stepMillis", 100), Map.of()).as(JobView.class).id();
        await().until(() -> get(user, id).progress().done() > 0);

        var cancel = harness.call("jobs", "DELETE", "/api/v1/jobs/" + id, null, user);

        assertThat(cancel.status()).isEqualTo(202);
        JobView cancelled = finished(user, id);
        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(cancelled.progress().done()).isLessThan(100);
        assertThat(harness.call("jobs", "DELETE", "/api/v1/jobs/" + id, null, user).status()).isEqualTo(409);
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs/" + id + "/result", null, user).status()).isEqualTo(409);
    }

    @Test
    void anIdempotencyKeyNamesOneJobAndCannotBeReusedForAnotherRequest() {
        var user = TestHarness.user("careful");
        var body = Map.of("kind", "probe", "steps", 1);
        var first = submit(user, body, Map.of("Idempotency-Key", "export-1"));
        var again = submit(user, body, Map.of("Idempotency-Key", "export-1"));
        var other = submit(user, Map.of("kind", "probe", "steps", 2), Map.of("Idempotency-Key", "export-1"));

        assertThat(again.as(JobView.class).id()).isEqualTo(first.as(JobView.class).id());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.status()).isEqualTo(422);
        var list = harness.call("jobs", "GET", "/api/v1/jobs", null, user).as(JobList.class);
        assertThat(list.jobs()).extracting(JobView::id).containsExactly(first.as(JobView.class).id());
    }

    @Test
    void onlyTheOwnerSeesAJobAndOnlyMembersExportARoom() {
        var owner = TestHarness.user("owner");
        var stranger = TestHarness.user("stranger");
        RoomView room = roomWith(owner, 1);
        UUID id = submit(owner, Map.of("kind", "probe"), Map.of()).as(JobView.class).id();

        assertThat(harness.call("jobs", "GET", "/api/v1/jobs/" + id, null, stranger).status()).isEqualTo(404);
        assertThat(harness.call("jobs", "DELETE", "/api/v1/jobs/" + id, null, stranger).status()).isEqualTo(404);
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs/" + id + "/result", null, stranger).status()).isEqualTo(404);
        assertThat(submit(stranger, Map.of("kind", "export-room", "roomId", room.id()), Map.of()).status()).isEqualTo(403);
        assertThat(submit(owner, Map.of("kind", "export-room", "roomId", UUID.randomUUID()), Map.of()).status()).isEqualTo(404);
    }

    @Test
    void badSubmissionsAreRefusedWithTheFieldNamed() {
        var user = TestHarness.user("sloppy");
        assertThat(submit(user, Map.of("kind", "mine-bitcoin"), Map.of()).invalidField()).isEqualTo("kind");
        assertThat(submit(user, Map.of("roomId", UUID.randomUUID()), Map.of()).invalidField()).isEqualTo("kind");
        assertThat(submit(user, Map.of("kind", "export-room"), Map.of()).invalidField()).isEqualTo("roomId");
        assertThat(submit(user, Map.of("kind", "export-room", "roomId", UUID.randomUUID(), "format", "pdf"), Map.of())
                .invalidField()).isEqualTo("format");
        assertThat(submit(user, Map.of("kind", "probe", "steps", -1), Map.of()).invalidField()).isEqualTo("steps");
        assertThat(submit(user, Map.of("kind", "probe"), Map.of("Idempotency-Key", "a b")).invalidField())
                .isEqualTo("Idempotency-Key");
        assertThat(submit(user, "{\"kind\": ", Map.of()).status()).isEqualTo(400);
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs?status=lost", null, user).invalidField()).isEqualTo("status");
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs?cursor=nonsense", null, user).status()).isEqualTo(422);
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs/" + UUID.randomUUID(), null, user).status()).isEqualTo(404);
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs", null, user).as(JobList.class).jobs()).isEmpty();
    }

    @Test
    void theListPagesNewestFirstAndFiltersByStatus() {
        var user = TestHarness.user("lister");
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(user, Map.of("kind", "probe", "steps", i), Map.of()).as(JobView.class).id());
        }
        ids.forEach(id -> finished(user, id));

        var first = harness.call("jobs", "GET", "/api/v1/jobs?limit=3", null, user).as(JobList.class);
        var second = harness.call("jobs", "GET", "/api/v1/jobs?limit=3&cursor=" + first.next(), null, user).as(JobList.class);

        assertThat(first.jobs()).extracting(JobView::id).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(second.jobs()).extracting(JobView::id).containsExactly(ids.get(1), ids.get(0));
        assertThat(second.next()).isNull();
        assertThat(harness.call("jobs", "GET", "/api/v1/jobs?status=failed", null, user).as(JobList.class).jobs()).isEmpty();
    }
}
