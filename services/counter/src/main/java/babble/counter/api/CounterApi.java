package babble.counter.api;

import babble.contracts.api.Visits;
import babble.counter.domain.Counter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for the counter. */
public final class CounterApi {
    private final Counter counter;

    public CounterApi(Counter counter) {
        this.counter = counter;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/counter", this::visit);
    }

    private void visit(Context ctx) {
        ctx.header("Cache-Control", "no-store").json(new Visits(counter.visit()));
    }
}
