package babble.bench.scenarios;

import babble.bench.ClosedLoop;
import babble.bench.LoadClient;
import babble.bench.OpenLoop;
import babble.bench.Target;
import babble.client.UserSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Seed 002's posts: creating posts and comments at fixed rates (each then moderated and projected into the read
 * model by events), listing a room's hot posts from the read model, and rebuilding the read model by replay.
 */
public final class Posts {
    private Posts() {
    }

    /** A few posts per room to comment on and list, made before measuring. */
    public static List<UUID> seed(Target target, int perRoom) {
        var ids = new ArrayList<UUID>();
        for (int r = 0; r < target.rooms().size(); r++) {
            UserSession user = target.users().get(r % target.users().size());
            for (int i = 0; i < perRoom; i++) {
                ids.add(user.createPost(target.rooms().get(r), "seeded post " + i, "a body to read").id());
            }
        }
        return ids;
    }

    /** POST /rooms/{id}/posts at each rate, spread over users and rooms. */
    public static List<OpenLoop.Result> create(Target target, List<Integer> rates, Duration each) {
        var results = new ArrayList<OpenLoop.Result>();
        for (int rate : rates) {
            results.add(OpenLoop.measured(target.processes(), rate, each, 20_000, (i, scheduled) -> createPost(target, i)));
        }
        return results;
    }

    /** POST /posts/{id}/comments at each rate, over the given posts. */
    public static List<OpenLoop.Result> comment(Target target, List<UUID> posts, List<Integer> rates, Duration each) {
        var results = new ArrayList<OpenLoop.Result>();
        for (int rate : rates) {
            results.add(OpenLoop.measured(target.processes(), rate, each, 20_000, (i, scheduled) -> comment(target, posts, i)));
        }
        return results;
    }

    /** GET /rooms/{id}/posts?sort=hot (the first page of 25) at a rate. */
    public static OpenLoop.Result listHot(Target target, int rate, Duration duration) {
        return OpenLoop.measured(target.processes(), rate, duration, 20_000, (i, scheduled) -> {
            UserSession user = target.users().get(i % target.users().size());
            UUID room = target.rooms().get(i % target.rooms().size());
            return target.load().send("GET", "/api/v1/rooms/" + room + "/posts?sort=hot", null, user.token())
                    .thenApply(status -> status == 200);
        });
    }

    /** What a rebuild replayed, how long it took and how fast it went. */
    public record Rebuild(long posts, long comments, long events, double seconds, double eventsPerSecond) {
    }

    /**
     * Writes {@code count} posts and as many comments (on the seeded posts) as fast as the deployment takes them
     * (closed loop), then has the deployment empty the query service's store and start it again
     * ({@code rebuild query} on its console), and times the replay until the service is ready again. Each post
     * and comment is two events in the streams the query service reads (created, and moderation's decision).
     */
    public static Rebuild rebuild(Target target, List<UUID> seeded, int count, Function<String, String> console,
                                  Supplier<List<ProcessHandle>> servers) {
        var made = new AtomicInteger();
        while (made.get() < 2 * count) {
            ClosedLoop.run(servers.get(), 16, Duration.ofSeconds(5), () -> {
                int i = made.getAndIncrement();
                if (i >= 2 * count) {
                    return java.util.concurrent.CompletableFuture.completedFuture(true);
                }
                return i % 2 == 0 ? createPost(target, i / 2) : comment(target, seeded, i / 2);
            });
        }
        sleep(Duration.ofSeconds(5)); // moderation and the read model catch up with the writes
        long began = System.nanoTime();
        console.apply("rebuild query");
        while (NOT_READY.matcher(console.apply("status")).find()) {
            sleep(Duration.ofMillis(100));
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        // What the rebuilt model holds, read back through the API: every post is two events (created, decided),
        // and so is every comment; the room stream's few events are not counted.
        long posts = 0;
        long comments = 0;
        UserSession reader = target.users().getFirst();
        for (UUID room : target.rooms()) {
            String cursor = null;
            do {
                var page = reader.posts(room, "new", 100, cursor);
                posts += page.posts().size();
                comments += page.posts().stream().mapToLong(p -> p.commentCount()).sum();
                cursor = page.next();
            } while (cursor != null);
        }
        long events = 2 * (posts + comments);
        return new Rebuild(posts, comments, events, seconds, events / seconds);
    }

    private static final java.util.regex.Pattern NOT_READY =
            java.util.regex.Pattern.compile("\\bquery(:\\d+)? \\((not ready|stopped)\\)");

    private static java.util.concurrent.CompletableFuture<Boolean> createPost(Target target, int i) {
        UserSession user = target.users().get(i % target.users().size());
        UUID room = target.rooms().get(i % target.rooms().size());
        return target.load().send("POST", "/api/v1/rooms/" + room + "/posts",
                "{\"title\":\"post " + i + "\",\"body\":\"benchmark post number " + i + "\"}", user.token())
                .thenApply(status -> status == 201);
    }

    private static java.util.concurrent.CompletableFuture<Boolean> comment(Target target, List<UUID> posts, int i) {
        UserSession user = target.users().get(i % target.users().size());
        UUID post = posts.get(i % posts.size());
        return target.load().send("POST", "/api/v1/posts/" + post + "/comments", LoadClient.textBody("comment " + i),
                user.token()).thenApply(status -> status == 201);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
