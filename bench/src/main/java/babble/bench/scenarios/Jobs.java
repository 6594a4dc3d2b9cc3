package babble.bench.scenarios;

import babble.bench.Target;
import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Seed 003's jobs: trivial jobs through the shared queue (jobs/s from the first submit until the last one
 * finished, with one and with two jobs processes), next to the bare queue they run on (Redis Streams: add, read
 * in a group, acknowledge, from one client); and exports (messages/s of the job, from its own start and finish
 * times), next to reading the same history through the public API page by page.
 */
public final class Jobs {
    private Jobs() {
    }

    /** One queue run: how many jobs, how many jobs processes, how long until all finished. */
    public record QueueRun(String label, int jobs, double seconds, double jobsPerSecond) {
    }

    /** One export: the room's messages, the job's own duration, and the download through the gateway. */
    public record ExportRun(long messages, long bytes, double jobSeconds, double messagesPerSecond, double downloadSeconds) {
    }

    /** Submits {@code count} zero-step probe jobs from 16 connections, then waits until none is queued or running. */
    public static QueueRun queue(Target target, String label, int count) throws InterruptedException {
        UserSession user = target.users().getFirst();
        long began = System.nanoTime();
        // Each with its own Idempotency-Key, as a careful client sends: safe to retry on another jobs process.
        inParallel(count, i -> target.load().send("POST", "/api/v1/jobs", "{\"kind\":\"probe\"}", user.token(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())), 202);
        while (unfinished(user)) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new QueueRun(label, count, seconds, count / seconds);
    }

    private static boolean unfinished(UserSession user) {
        for (String status : List.of("queued", "running")) {
            ApiResponse page = user.call("GET", "/api/v1/jobs?limit=1&status=" + status, null).orThrow();
            if (page.json().get("jobs").size() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bare queue: {@code count} entries added to a Redis stream, then read in a consumer group and
     * acknowledged, one at a time from one client (what a worker does per job, without the job).
     */
    public static QueueRun bareRedisStreams(String redisUrl, int count) {
        var client = RedisClient.create(redisUrl);
        try (var connection = client.connect()) {
            var redis = connection.sync();
            String stream = "bench:" + UUID.randomUUID();
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "workers", XGroupCreateArgs.Builder.mkstream());
            var me = Consumer.from("workers", "bench");
            long began = System.nanoTime();
            for (int i = 0; i < count; i++) {
                redis.xadd(stream, Map.of("job", UUID.randomUUID().toString()));
                var read = redis.xreadgroup(me, XReadArgs.Builder.count(1), XReadArgs.StreamOffset.lastConsumed(stream));
                redis.xack(stream, "workers", read.getFirst().getId());
                redis.xdel(stream, read.getFirst().getId());
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            redis.del(stream);
            return new QueueRun("bare Redis Streams (XADD, XREADGROUP, XACK, XDEL)", count, seconds, count / seconds);
        } finally {
            client.shutdown();
        }
    }

    /** Fills a room of its own with {@code count} messages (from 16 connections), for exports to read. */
    public static UUID roomWith(Target target, int count) {
        UserSession owner = target.users().getFirst();
        UUID room = owner.createRoom("export bench " + UUID.randomUUID().toString().substring(0, 6)).id();
        inParallel(count, i -> target.load().send("POST", "/api/v1/rooms/" + room + "/messages",
                "{\"text\":\"message " + i + " to export, with a few words in it\"}", owner.token()), 201);
        return room;
    }

    /** Exports the room as JSON Lines; the job's rate from its own start and finish times; then downloads it. */
    public static ExportRun export(Target target, UUID room) throws Exception {
        UserSession owner = target.users().getFirst();
        JsonNode job = owner.call("POST", "/api/v1/jobs", Map.of("kind", "export-room", "roomId", room, "format", "jsonl"))
                .orThrow().json();
        String id = job.get("id").asText();
        while (!finished(job)) {
            Thread.sleep(50);
            job = owner.call("GET", "/api/v1/jobs/" + id, null).orThrow().json();
        }
        if (!job.get("status").asText().equals("succeeded")) {
            throw new IllegalStateException("the export ended " + job);
        }
        double seconds = Duration.between(Instant.parse(job.get("startedAt").asText()),
                Instant.parse(job.get("finishedAt").asText())).toNanos() / 1e9;
        long messages = job.get("result").get("messages").asLong();
        long began = System.nanoTime();
        ApiResponse file = owner.call("GET", "/api/v1/jobs/" + id + "/result", null).orThrow();
        double download = (System.nanoTime() - began) / 1e9;
        return new ExportRun(messages, file.body().length, seconds, messages / seconds, download);
    }

    /** The baseline: the same history read through the public API, 200 messages a page, from one client. */
    public static ExportRun readHistory(Target target, UUID room) {
        UserSession owner = target.users().getFirst();
        long began = System.nanoTime();
        long after = 0;
        long messages = 0;
        while (true) {
            var page = owner.after(room, after, 200);
            if (page.isEmpty()) {
                break;
            }
            messages += page.size();
            after = page.getLast().seq();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new ExportRun(messages, 0, seconds, messages / seconds, 0);
    }

    /** Sends {@code count} requests from 16 connections, each waiting for its answer; fails on an unexpected status. */
    private static void inParallel(int count, IntFunction<CompletableFuture<Integer>> request, int expected) {
        var next = new AtomicInteger();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 16; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        int status = request.apply(i).join();
                        if (status != expected) {
                            throw new IllegalStateException("expected " + expected + ", got " + status);
                        }
                    }
                    return null;
                });
            }
        }
    }

    private static boolean finished(JsonNode job) {
        String status = job.get("status").asText();
        return !status.equals("queued") && !status.equals("running");
    }
}
