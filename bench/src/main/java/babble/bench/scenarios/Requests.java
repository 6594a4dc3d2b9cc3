package babble.bench.scenarios;

import babble.bench.LoadClient;
import babble.bench.OpenLoop;
import babble.bench.Target;
import babble.client.UserSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The request scenarios: posting messages at fixed rates, and reading history (latest page, and paging back). */
public final class Requests {
    private Requests() {
    }

    /** POST /rooms/{id}/messages at each rate, spread over the users and rooms. */
    public static List<OpenLoop.Result> post(Target target, List<Integer> rates, Duration each) {
        var results = new ArrayList<OpenLoop.Result>();
        for (int rate : rates) {
            results.add(OpenLoop.measured(target.processes(), rate, each, 20_000, (i, scheduled) -> {
                UserSession user = target.users().get(i % target.users().size());
                UUID room = target.rooms().get(i % target.rooms().size());
                return target.load().send("POST", "/api/v1/rooms/" + room + "/messages",
                                LoadClient.textBody("load " + rate + "/s #" + i), user.token())
                        .thenApply(status -> status == 201);
            }));
        }
        return results;
    }

    /** GET the latest 50 messages of a room. */
    public static OpenLoop.Result latest(Target target, int rate, Duration duration) {
        return OpenLoop.measured(target.processes(), rate, duration, 20_000, (i, scheduled) -> get(target, i, "?limit=50"));
    }

    /** GET the 50 messages before a random seq (paging back through history). */
    public static OpenLoop.Result before(Target target, int rate, Duration duration, long lastSeq) {
        return OpenLoop.measured(target.processes(), rate, duration, 20_000, (i, scheduled) ->
                get(target, i, "?limit=50&before=" + (2 + ThreadLocalRandom.current().nextLong(Math.max(1, lastSeq - 1)))));
    }

    private static java.util.concurrent.CompletableFuture<Boolean> get(Target target, int i, String query) {
        UserSession user = target.users().get(i % target.users().size());
        UUID room = target.rooms().get(i % target.rooms().size());
        return target.load().send("GET", "/api/v1/rooms/" + room + "/messages" + query, null, user.token())
                .thenApply(status -> status == 200);
    }
}
