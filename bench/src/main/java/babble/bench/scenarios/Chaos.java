package babble.bench.scenarios;

import babble.bench.OpenLoop;
import babble.bench.Target;
import babble.client.ApiResponse;
import babble.client.LocalBabble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Processes mode under {@link MixedLoad} while a random service process is killed ({@code kill -9}) every few
 * seconds, and the supervisor starts it again. Requests may fail while a service is down; what was acknowledged
 * may not be lost. Once the load ends and every process is ready, it checks: every acknowledged message stored
 * once and delivered once to every live socket of its room, every {@code !quote} stored answered once by the bot,
 * every acknowledged comment moderated once, and every export submitted during the run (one every 10 s, see
 * {@link ChaosJobs}) succeeded with each message once in its file. The gateways are never killed (the sockets stay up; a gateway's
 * failure is the failure tests' two-gateway case).
 */
public final class Chaos {
    private Chaos() {
    }

    /** One kill: when, which process, and how long until the deployment reported every part ready again. */
    public record Kill(double atSeconds, String service, long pid, double readyAfterSeconds) {
    }

    public record Result(Duration duration, Duration killEvery, long seed, double ratePerSecond, long requests,
                         long failedRequests, List<Kill> kills, long acknowledgedMessages, int sockets,
                         long missingDeliveries, long duplicateDeliveries, int socketsClosed, long missingStored,
                         long storedTwice, long quoteCommands, long botReplies, long acknowledgedComments,
                         long commentsUndecided, long commentsDecidedTwice, List<String> undecidedComments,
                         ChaosJobs.Outcome jobs, Map<String, Long> outcomes, List<String> failures) {
    }

    public static Result run(Target target, Duration duration, Duration killEvery, double ratePerSecond, long seed,
                             Supplier<List<ProcessHandle>> processes, Function<String, String> console) throws Exception {
        var random = new Random(seed);
        var kills = new ArrayList<Kill>();
        var failures = new ArrayList<String>();
        try (var load = MixedLoad.open(target)) {
            long began = System.nanoTime();
            CompletableFuture<OpenLoop.Result> running = CompletableFuture.supplyAsync(
                    () -> OpenLoop.run(ratePerSecond, duration, 20_000, (i, scheduled) -> load.request(i)));
            var jobs = new ChaosJobs(target);
            Thread exports = Thread.ofVirtual().name("chaos-exports").start(() -> { // an export every 10 s
                try {
                    for (int n = 0; !running.isDone(); n++) {
                        jobs.submit(n);
                        Thread.sleep(10_000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long nextKill = began + killEvery.toNanos();
            while (!running.isDone()) {
                Thread.sleep(Math.max(1, Math.min(200, (nextKill - System.nanoTime()) / 1_000_000)));
                if (System.nanoTime() < nextKill || System.nanoTime() > began + duration.toNanos() - killEvery.toNanos() / 2) {
                    continue;
                }
                var victims = services(processes.get());
                var victim = victims.get(random.nextInt(victims.size()));
                double at = (System.nanoTime() - began) / 1e9;
                victim.process().destroyForcibly();
                long killed = System.nanoTime();
                awaitAllReady(console, Duration.ofSeconds(90));
                kills.add(new Kill(at, victim.name(), victim.process().pid(), (System.nanoTime() - killed) / 1e9));
                nextKill = Math.max(System.nanoTime(), nextKill + killEvery.toNanos());
            }
            OpenLoop.Result result = running.get();
            exports.join();
            awaitAllReady(console, Duration.ofSeconds(90));

            long missingDeliveries = load.awaitDeliveries(Duration.ofSeconds(60));
            MixedLoad.Stored stored = load.readBack();
            for (long deadline = System.nanoTime() + 60_000_000_000L;
                 stored.botReplies() < stored.quoteCommands() && System.nanoTime() < deadline; ) {
                Thread.sleep(500); // the bot answers what it missed while it or its bus consumer was down
                stored = load.readBack();
            }
            Moderated moderation = moderatedOnce(target, load.acknowledgedComments());
            ChaosJobs.Outcome exported = jobs.check(Duration.ofSeconds(120));
            failures.addAll(exported.failures());
            int closed = load.socketsClosed();

            if (missingDeliveries > 0) {
                failures.add(missingDeliveries + " deliveries of acknowledged messages missing");
            }
            if (load.duplicateDeliveries() > 0) {
                failures.add(load.duplicateDeliveries() + " messages delivered twice to one socket");
            }
            if (closed > 0) {
                failures.add(closed + " sockets closed by the server");
            }
            if (stored.missing() > 0) {
                failures.add(stored.missing() + " acknowledged messages not stored");
            }
            if (stored.twice() > 0) {
                failures.add(stored.twice() + " messages stored twice");
            }
            if (stored.botReplies() != stored.quoteCommands()) {
                failures.add(stored.quoteCommands() + " !quote commands stored, " + stored.botReplies() + " bot replies");
            }
            if (!moderation.undecided().isEmpty()) {
                failures.add(moderation.undecided().size() + " acknowledged comments never moderated: "
                        + moderation.undecided().stream().limit(10).map(c -> c.id() + " (" + statusAtPosts(target, c) + ")").toList());
            }
            if (moderation.twice() > 0) {
                failures.add(moderation.twice() + " comments moderated more than once");
            }
            return new Result(duration, killEvery, seed, ratePerSecond, result.latency().count(),
                    result.latency().errors(), kills, load.acknowledged(), load.sockets(), missingDeliveries,
                    load.duplicateDeliveries(), closed, stored.missing(), stored.twice(), stored.quoteCommands(),
                    stored.botReplies(), load.acknowledgedComments().size(), moderation.undecided().size(),
                    moderation.twice(), moderation.undecided().stream().map(MixedLoad.Comment::id).toList(),
                    exported, load.outcomes(), failures);
        }
    }

    private record Service(String name, ProcessHandle process) {
    }

    /** The service processes but the gateways (the launcher and the gateways are not killed). */
    private static List<Service> services(List<ProcessHandle> processes) {
        var out = new ArrayList<Service>();
        for (ProcessHandle p : processes) {
            Optional<String> name = LocalBabble.serviceOf(p);
            if (name.isPresent() && !name.get().equals("gateway")) {
                out.add(new Service(name.get(), p));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no service processes to kill: the chaos run needs processes mode");
        }
        return out;
    }

    /** Waits until the launcher reports every part ready (none starting, restarting, not ready or stopped). */
    private static void awaitAllReady(Function<String, String> console, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String status = console.apply("status");
        while (status.matches("(?s).*\\((not ready|stopped|starting|restarting|exited)[^)]*\\).*")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every part ready again after " + patience.toSeconds() + " s: " + status);
            }
            Thread.sleep(250);
            status = console.apply("status");
        }
    }

    private record Moderated(List<MixedLoad.Comment> undecided, long twice) {
    }

    /**
     * Each acknowledged comment's moderation history, asked by its author: those never decided, and how many were
     * decided more than once. Moderation may still be catching up with what it missed while down: an undecided
     * comment is asked again.
     */
    private static Moderated moderatedOnce(Target target, List<MixedLoad.Comment> comments) throws InterruptedException {
        long twice = 0;
        List<MixedLoad.Comment> undecided = comments;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            var still = new ArrayList<MixedLoad.Comment>();
            for (MixedLoad.Comment c : undecided) {
                int decisions = decisions(target, c);
                if (decisions == 0) {
                    still.add(c);
                } else if (decisions > 1) {
                    twice++;
                }
            }
            undecided = still;
            if (undecided.isEmpty() || System.nanoTime() > deadline) {
                return new Moderated(undecided, twice);
            }
            Thread.sleep(500);
        }
    }

    /** The comment's status as the posts service shows it to its author, to tell a lost event from a slow one. */
    private static String statusAtPosts(Target target, MixedLoad.Comment comment) {
        String cursor = null;
        do {
            ApiResponse page = target.users().get(comment.author()).call("GET", "/api/v1/posts/" + comment.postId()
                    + "/comments?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), null);
            if (page.status() != 200) {
                return "comments of its post: " + page.status();
            }
            for (var c : page.json().get("comments")) {
                if (c.get("id").asText().equals(comment.id())) {
                    return "posts shows it " + c.get("status").asText();
                }
            }
            cursor = page.json().path("next").isNull() ? null : page.json().path("next").asText(null);
        } while (cursor != null);
        return "posts does not show it";
    }

    private static int decisions(Target target, MixedLoad.Comment comment) {
        ApiResponse history = target.users().get(comment.author())
                .call("GET", "/api/v1/moderation/comment/" + comment.id() + "/history", null);
        if (history.status() == 404) {
            return 0; // moderation has not read the comment's event yet
        }
        if (history.status() != 200) {
            throw new IllegalStateException("history of comment " + comment.id() + ": " + history.status() + " " + history.text());
        }
        return history.json().get("history").size();
    }
}
