package babble.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.db.Database;
import babble.platform.redis.Redis;
import babble.platform.testing.TestServers;
import babble.platform.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared job queue: the store queue on the embedded database, and with the production adapters Redis
 * Streams on the machine's Redis. Workers are separate queue objects (separate consumers), as separate
 * processes would be.
 */
class JobQueueTest {
    static final Duration RECLAIM = Duration.ofMillis(1_500);

    Database db;
    Redis redis;
    final List<JobQueue> opened = new ArrayList<>();

    @BeforeEach
    void open() {
        if (TestStores.production()) {
            redis = Redis.connect(TestServers.redisUrl(), "t" + UUID.randomUUID().toString().substring(0, 8), Duration.ofSeconds(5));
        } else {
            db = TestStores.database("jobs");
            db.migrate("db/jobs", "flyway_schema_history");
        }
    }

    @AfterEach
    void close() {
        opened.forEach(JobQueue::close);
        if (redis != null) {
            redis.commands().del(redis.key("jobs", "queue"), redis.key("jobs", "delayed"));
            redis.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private JobQueue worker(String name) {
        JobQueue queue = redis != null ? new RedisStreamQueue(redis, name, RECLAIM, Clock.systemUTC())
                : new StoreQueue(db, name, RECLAIM, Clock.systemUTC());
        opened.add(queue);
        return queue;
    }

    @Test
    void competingWorkersEachGetEveryEntryOnce() throws Exception {
        var producer = worker("producer");
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < 200; i++) {
            ids.add(UUID.randomUUID());
            producer.enqueue(ids.getLast(), Instant.now());
        }
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        var duplicates = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Integer>>();
            for (String name : List.of("a", "b", "c")) {
                JobQueue queue = worker(name);
                futures.add(pool.submit(() -> {
                    int taken = 0;
                    Optional<JobQueue.Delivery> d;
                    while ((d = queue.take(Duration.ofMillis(300))).isPresent()) {
                        if (!seen.add(d.get().jobId())) {
                            duplicates.incrementAndGet();
                        }
                        queue.ack(d.get());
                        taken++;
                    }
                    return taken;
                }));
            }
            int total = 0;
            for (var f : futures) {
                total += f.get();
            }
            assertThat(total).isEqualTo(200);
        }
        assertThat(duplicates).hasValue(0);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(producer.size()).isZero();
    }

    @Test
    void anEntryItsWorkerStopsTouchingGoesToAnotherAfterTheLease() throws Exception {
        var dying = worker("dying");
        var survivor = worker("survivor");
        UUID job = UUID.randomUUID();
        dying.enqueue(job, Instant.now());
        var taken = dying.take(Duration.ofSeconds(2)).orElseThrow();

        assertThat(survivor.take(Duration.ofMillis(500))).as("still leased").isEmpty();
        var reclaimed = survivor.take(Duration.ofSeconds(5)).orElseThrow();

        assertThat(reclaimed.jobId()).isEqualTo(job);
        assertThat(reclaimed.entryId()).isEqualTo(taken.entryId());
        survivor.ack(reclaimed);
        assertThat(dying.take(Duration.ofMillis(2_500))).isEmpty();
    }

    @Test
    void touchingAnEntryKeepsItLeased() throws Exception {
        var holder = worker("holder");
        var other = worker("other");
        holder.enqueue(UUID.randomUUID(), Instant.now());
        var taken = holder.take(Duration.ofSeconds(2)).orElseThrow();

        for (int i = 0; i < 5; i++) {
            Thread.sleep(600);
            holder.touch(taken);
            assertThat(other.take(Duration.ofMillis(1))).isEmpty();
        }
        holder.ack(taken);
        assertThat(holder.size()).isZero();
    }

    @Test
    void aDelayedEntryIsHandedOutOnlyOnceDue() throws Exception {
        var queue = worker("patient");
        UUID job = UUID.randomUUID();
        queue.enqueue(job, Instant.now().plusMillis(1_200));

        assertThat(queue.take(Duration.ofMillis(600))).isEmpty();
        var due = queue.take(Duration.ofSeconds(3)).orElseThrow();

        assertThat(due.jobId()).isEqualTo(job);
    }
}
