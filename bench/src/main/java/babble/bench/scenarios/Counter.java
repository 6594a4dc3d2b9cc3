package babble.bench.scenarios;

import babble.bench.ClosedLoop;
import babble.bench.LoadClient;
import babble.bench.OpenLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The visit counter at saturation, as the issue measured it with {@code wrk -c50}: after a warm-up, the same
 * closed-loop load twice (a figure that does not repeat is not a result), for Babble's {@code GET /api/v1/counter}
 * and, in the same run, for seed 000's own Node app's {@code GET /counter}.
 */
public final class Counter {
    public static final int CONNECTIONS = 50;

    private Counter() {
    }

    /** Warms up, then measures {@code runs} times; every answer must be 200. */
    public static List<OpenLoop.Result> saturate(LoadClient client, String path, Supplier<List<ProcessHandle>> servers,
                                                 Duration warmup, Duration each, int runs) {
        ClosedLoop.run(servers.get(), CONNECTIONS, warmup, () -> visit(client, path));
        var results = new ArrayList<OpenLoop.Result>();
        for (int i = 0; i < runs; i++) {
            results.add(ClosedLoop.run(servers.get(), CONNECTIONS, each, () -> visit(client, path)));
        }
        return results;
    }

    private static java.util.concurrent.CompletableFuture<Boolean> visit(LoadClient client, String path) {
        return client.send("GET", path, null, null).thenApply(status -> status == 200);
    }
}
