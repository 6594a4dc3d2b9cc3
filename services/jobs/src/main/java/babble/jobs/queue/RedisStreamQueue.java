package babble.jobs.queue;

import babble.platform.redis.Redis;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue on Redis Streams (seed 003's Redis as a job queue): one stream, one consumer group {@code workers};
 * every jobs process is a consumer of the group, so each entry goes to one of them. An entry stays in its
 * consumer's pending list until acknowledged; {@link #touch} resets its idle time (XCLAIM to itself), and an
 * entry idle for longer than the lease is taken over by another consumer (XAUTOCLAIM). Retries wait in a sorted
 * set by due time, moved onto the stream by a script once due (the stream has no delayed delivery).
 */
public final class RedisStreamQueue implements JobQueue {
    private static final String GROUP = "workers";
    private static final String PROMOTE_DUE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
            for _, id in ipairs(due) do
              redis.call('ZREM', KEYS[1], id)
              redis.call('XADD', KEYS[2], '*', 'job', id)
            end
            return #due""";
    // Redis' command timeout is 1 s: a blocking read must come back well before it.
    private static final Duration MAX_BLOCK = Duration.ofMillis(500);

    private final Redis redis;
    private final StatefulRedisConnection<String, String> blocking;
    private final String stream;
    private final String delayed;
    private final Consumer<String> me;
    private final Duration lease;
    private final Clock clock;
    private volatile Instant nextReclaim = Instant.EPOCH;

    public RedisStreamQueue(Redis redis, String consumerName, Duration lease, Clock clock) {
        this.redis = redis;
        this.blocking = redis.dedicatedConnection();
        this.stream = redis.key("jobs", "queue");
        this.delayed = redis.key("jobs", "delayed");
        this.me = Consumer.from(GROUP, consumerName);
        this.lease = lease;
        this.clock = clock;
        try {
            redis.commands().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // BUSYGROUP: another process made it first
        }
    }

    @Override
    public void enqueue(UUID jobId, Instant notBefore) {
        if (notBefore.isAfter(clock.instant())) {
            redis.commands().zadd(delayed, notBefore.toEpochMilli(), jobId.toString());
        } else {
            redis.commands().xadd(stream, Map.of("job", jobId.toString()));
        }
    }

    @Override
    public Optional<Delivery> take(Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            redis.commands().eval(PROMOTE_DUE, ScriptOutputType.INTEGER, new String[] {delayed, stream},
                    Long.toString(clock.millis()));
            Optional<Delivery> reclaimed = reclaimStalled();
            if (reclaimed.isPresent()) {
                return reclaimed;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            Duration block = left.compareTo(MAX_BLOCK) < 0 ? left : MAX_BLOCK;
            List<StreamMessage<String, String>> read = blocking.sync().xreadgroup(me,
                    XReadArgs.Builder.block(Math.max(1, block.toMillis())).count(1), XReadArgs.StreamOffset.lastConsumed(stream));
            if (read != null && !read.isEmpty()) {
                return Optional.of(delivery(read.getFirst()));
            }
            if (!clock.instant().isBefore(deadline)) {
                return Optional.empty();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** At most every second: one entry whose worker has not touched it for longer than the lease. */
    private Optional<Delivery> reclaimStalled() {
        Instant now = clock.instant();
        if (now.isBefore(nextReclaim)) {
            return Optional.empty();
        }
        var claimed = redis.commands().xautoclaim(stream, XAutoClaimArgs.Builder.xautoclaim(me, lease, "0-0").count(1));
        if (claimed.getMessages().isEmpty()) {
            nextReclaim = now.plusSeconds(1);
            return Optional.empty();
        }
        return Optional.of(delivery(claimed.getMessages().getFirst()));
    }

    private static Delivery delivery(StreamMessage<String, String> message) {
        return new Delivery(message.getId(), UUID.fromString(message.getBody().get("job")));
    }

    @Override
    public void touch(Delivery delivery) {
        redis.commands().xclaim(stream, me, XClaimArgs.Builder.justid().minIdleTime(0), delivery.entryId());
    }

    @Override
    public void ack(Delivery delivery) {
        redis.commands().xack(stream, GROUP, delivery.entryId());
        redis.commands().xdel(stream, delivery.entryId());
    }

    @Override
    public long size() {
        return redis.commands().xlen(stream) + redis.commands().zcard(delayed);
    }

    @Override
    public String describe() {
        return "Redis Streams " + stream + " (group " + GROUP + ", consumer " + me.getName() + ")";
    }

    @Override
    public void close() {
        blocking.close();
    }
}
