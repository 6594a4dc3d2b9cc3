package babble.counter;

import babble.counter.api.CounterApi;
import babble.counter.domain.VisitCounter;
import babble.counter.domain.Counter;
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
        // Redis INCRBY when the deployment has Redis; otherwise the embedded store.
        VisitCounter store = chassis.redis().<VisitCounter>map(RedisVisitCounter::new)
                .orElseGet(() -> new DbVisitCounter(chassis.database()));
        var counter = new Counter(store);
        chassis.onStop(counter);
        chassis.http(routes -> new CounterApi(counter).register(routes));
    }
}
