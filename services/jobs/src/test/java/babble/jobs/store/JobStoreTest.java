package babble.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.db.Database;
import babble.platform.testing.TestStores;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims, leases and fencing of job records on the real store; the files a resumed run starts from. */
class JobStoreTest {
    static Database db;
    final JobStore store = new JobStore();
    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void open() {
        db = TestStores.database("jobs");
        db.migrate("db/jobs", "flyway_schema_history");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private java.util.Optional<StoredJob> claim(UUID id, Instant now, Instant leaseUntil) {
        return db.inTransaction(tx -> store.claim(tx, id, now, leaseUntil));
    }

    private boolean yes(org.jdbi.v3.core.HandleCallback<Boolean, RuntimeException> change) {
        return db.inTransaction(change);
    }

    private java.util.List<UUID> overdue(Instant at) {
        return db.withHandle(h -> store.overdue(h, at, at, 1_000));
    }

    private UUID queued(int maxAttempts) {
        UUID id = UUID.randomUUID();
        var job = new StoredJob(id, UUID.randomUUID(), "probe", "{}", JobStatus.QUEUED, 0, null, 0, maxAttempts, null,
                null, null, 0, null, t0, false, "hash", t0, null, null);
        db.useTransaction(tx -> store.insert(tx, job, null));
        return id;
    }

    @Test
    void aWorkerThatLostItsLeaseCanWriteNothingAndItsSuccessorResumesFromTheCheckpoint() {
        UUID id = queued(3);
        var first = claim(id, t0, t0.plusSeconds(10)).orElseThrow();
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(yes(tx -> store.checkpoint(tx, id, 1, "{\"step\":2}", 2, 4L))).isTrue();

        assertThat(claim(id, t0.plusSeconds(5), t0.plusSeconds(15))).as("lease held").isEmpty();
        var second = claim(id, t0.plusSeconds(11), t0.plusSeconds(21)).orElseThrow();

        assertThat(second.epoch()).isEqualTo(2);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.checkpoint()).isEqualTo("{\"step\":2}");
        assertThat(second.done()).isEqualTo(2);
        assertThat(yes(tx -> store.checkpoint(tx, id, 1, "{\"step\":3}", 3, 4L))).isFalse();
        assertThat(yes(tx -> store.extendLease(tx, id, 1, t0.plusSeconds(30)))).isFalse();
        assertThat(yes(tx -> store.succeed(tx, id, 1, "{}", 4, 4L, t0.plusSeconds(12)))).isFalse();
        assertThat(yes(tx -> store.succeed(tx, id, 2, "{\"ok\":true}", 4, 4L, t0.plusSeconds(12)))).isTrue();
        var done = db.withHandle(h -> store.find(h, id)).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.result()).isEqualTo("{\"ok\":true}");
        assertThat(claim(id, t0.plusSeconds(60), t0.plusSeconds(70))).isEmpty();
    }

    @Test
    void noClaimAfterTheLastAttemptNorOfACancelledOrNotYetDueJob() {
        UUID id = queued(1);
        claim(id, t0, t0.plusSeconds(1)).orElseThrow();
        assertThat(claim(id, t0.plusSeconds(5), t0.plusSeconds(6))).isEmpty();

        UUID retry = queued(3);
        claim(retry, t0, t0.plusSeconds(1)).orElseThrow();
        assertThat(yes(tx -> store.retryLater(tx, retry, 1, "boom", t0.plusSeconds(30)))).isTrue();
        assertThat(claim(retry, t0.plusSeconds(10), t0.plusSeconds(20))).isEmpty();
        assertThat(claim(retry, t0.plusSeconds(31), t0.plusSeconds(41))).isPresent();

        UUID cancelled = queued(3);
        claim(cancelled, t0, t0.plusSeconds(1)).orElseThrow();
        assertThat(yes(tx -> store.requestCancel(tx, cancelled))).isTrue();
        assertThat(claim(cancelled, t0.plusSeconds(5), t0.plusSeconds(6))).isEmpty();
    }

    @Test
    void overdueJobsAreQueuedAgainByOneSweeperOnly() {
        UUID id = queued(3);
        Instant later = t0.plusSeconds(60);
        assertThat(overdue(later)).contains(id);
        assertThat(yes(tx -> store.markEnqueued(tx, id, later, later))).isTrue();
        assertThat(yes(tx -> store.markEnqueued(tx, id, later, later))).isFalse();
        assertThat(overdue(later)).doesNotContain(id);
    }

    @Test
    void aResumedRunStartsFromThePreviousFileUpToItsCheckpointOnly() throws IOException {
        var files = new JobFiles(TestStores.tempDir());
        UUID job = UUID.randomUUID();
        String before = files.name(job, 1, "jsonl");
        Files.writeString(files.path(before), "line 1\nline 2\nhalf a li");
        long checkpointed = "line 1\nline 2\n".length();

        String after = files.name(job, 2, "jsonl");
        try (var out = files.openForRun(after, before, checkpointed)) {
            out.write(ByteBuffer.wrap("line 3\n".getBytes(StandardCharsets.UTF_8)));
        }
        files.deleteOtherRuns(job, after);

        assertThat(Files.readString(files.path(after))).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(files.path(before)).doesNotExist();
    }

    @Test
    void expiryDeletesOldJobFilesOnlyNeverOtherFilesOfTheDirectory() throws IOException {
        var dir = TestStores.tempDir();
        var files = new JobFiles(dir);
        var old = java.nio.file.attribute.FileTime.from(Instant.now().minus(java.time.Duration.ofDays(8)));
        var export = files.path(files.name(UUID.randomUUID(), 1, "jsonl"));
        var upload = files.path(files.uploadName(UUID.randomUUID()));
        var fresh = files.path(files.name(UUID.randomUUID(), 1, "md"));
        var database = dir.resolve("babble_jobs.mv.db");
        for (var file : java.util.List.of(export, upload, fresh, database)) {
            Files.writeString(file, "x");
        }
        for (var file : java.util.List.of(export, upload, database)) {
            Files.setLastModifiedTime(file, old);
        }

        assertThat(files.deleteOlderThan(java.time.Duration.ofDays(7))).isEqualTo(2);

        assertThat(export).doesNotExist();
        assertThat(upload).doesNotExist();
        assertThat(fresh).exists();
        assertThat(database).as("the database beside the files").exists();
    }
}
