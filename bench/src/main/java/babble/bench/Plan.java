package babble.bench;

import java.time.Duration;
import java.util.List;

/** How big each scenario is: {@code --quick} (everything briefly, under 3 minutes) or the full run. */
public record Plan(boolean quick, Duration warmup, Duration step, List<Integer> postRates, int users, int rooms,
                   int historyRate, List<int[]> fanOuts, double fanOutPostsPerSecond, int idleSockets,
                   double quotesPerSecond, int reconnectClients, Duration jdbc, Duration counterWarmup,
                   Duration counterStep, int counterRuns, List<Integer> postsRates, int rebuildPosts,
                   int queueJobs, int exportMessages, List<Integer> mqttRates, int importPosts,
                   double searchRate, int lagPosts, int presenceUsers, int presenceSocketsPerUser,
                   int presenceRounds) {

    public static Plan brief() {
        return new Plan(true, Duration.ofSeconds(2), Duration.ofSeconds(3), List.of(250, 500, 1_000, 2_000), 40, 8, 500,
                List.of(new int[] {4, 10}, new int[] {8, 25}), 40, 1_000, 5, 40, Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(3), 2, List.of(250), 500, 300, 2_000, List.of(100), 5_000, 50, 30, 20, 10, 3);
    }

    /** How many posts (and as many comments) the full run's rebuild replays: {@code BABBLE_BENCH_REBUILD_POSTS}. */
    private static int rebuildPostsSetting() {
        String set = System.getenv("BABBLE_BENCH_REBUILD_POSTS");
        return set == null || set.isBlank() ? 100_000 : Integer.parseInt(set.strip());
    }

    public static Plan full() {
        return new Plan(false, Duration.ofSeconds(40), Duration.ofSeconds(10), List.of(250, 500, 1_000, 2_000), 100, 20,
                300, List.of(new int[] {10, 10}, new int[] {10, 50}, new int[] {10, 100}, new int[] {20, 100}), 100,
                5_000, 10, 300, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), 2,
                List.of(250, 500), rebuildPostsSetting(), 3_000, 50_000, List.of(200, 500), 50_000,
                100, 200, 100, 50, 10);
    }
}
