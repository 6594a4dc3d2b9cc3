package babble.counter;

import babble.counter.api.CounterApi;
import babble.counter.domain.VisitCounter;
import babble.counter.store.DbVisitCounter;
import babble.counter.store.RedisVisitCounter;
import babble.platform.Chassis;
import babble.platform.Service;

/** The site visit counter (seed 000): every {@code GET /counter} counts one visit. */
public final class CounterService implements Service {

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public void start(Chassis chassis) {
        // Redis INCR when the deployment has Redis; otherwise the embedded store.
        VisitCounter counter = chassis.redis().<VisitCounter>map(RedisVisitCounter::new)
                .orElseGet(() -> new DbVisitCounter(chassis.database()));
        chassis.http(routes -> new CounterApi(counter).register(routes));
    }
}
