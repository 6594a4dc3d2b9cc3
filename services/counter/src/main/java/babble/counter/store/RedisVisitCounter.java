package babble.counter.store;

import babble.counter.domain.VisitCounter;
import babble.platform.redis.Redis;

/** Visits in Redis (production): one INCRBY, atomic across every instance of the counter. */
public final class RedisVisitCounter implements VisitCounter {
    private final Redis redis;

    public RedisVisitCounter(Redis redis) {
        this.redis = redis;
    }

    @Override
    public long add(int visits) {
        return redis.commands().incrby(redis.key("counter", "visits"), visits);
    }
}
