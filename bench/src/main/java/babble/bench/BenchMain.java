package babble.bench;

import babble.bench.baselines.JdbcInsert;
import babble.bench.baselines.PgBench;
import babble.bench.baselines.SeedNodeApp;
import babble.bench.report.Report;
import babble.bench.report.ChaosReport;
import babble.bench.report.SoakReport;
import babble.bench.scenarios.Chaos;
import babble.bench.scenarios.Soak;
import babble.bench.scenarios.Counter;
import babble.bench.scenarios.Live;
import babble.app.RedditSample;
import babble.bench.report.JobsSection;
import babble.bench.report.TopicsSection;
import babble.bench.scenarios.Jobs;
import babble.bench.scenarios.Topics;
import babble.bench.scenarios.Mqtt;
import babble.bench.scenarios.Posts;
import babble.bench.scenarios.PresenceFanOut;
import babble.bench.scenarios.Requests;
import babble.client.LocalBabble;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./babble bench}: starts a deployment, runs every scenario against it at fixed arrival rates, measures
 * the baselines in the same run (a bare hello and a bare WebSocket broadcast on the same server library, a
 * single-row INSERT loop on the same store, pgbench), stops everything and writes the report.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure Babble against same-run baselines.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--quick", description = "Every scenario briefly (under 3 minutes), to check they run.")
    boolean quick;

    @Option(names = "--mode", defaultValue = "all-in-one", description = "all-in-one or processes. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--out", defaultValue = "bench/results", description = "Where the report goes. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--only", description = "Run only these scenarios and write their own report: jobs (seed 003: "
            + "the job queue, exports, the MQTT bridge), topics (seed 004: the reddit import, search, index lag, feed) "
            + "or presence (a user coming online told to 5,000 sockets, next to a message to the same sockets).")
    String only;

    @Option(names = "--root", defaultValue = ".", description = "The Babble checkout (where app/target is).")
    Path root;

    @Option(names = "--soak", paramLabel = "DURATION", description = "Run only the soak for this long (90s, 10m, 1h): "
            + "a mixed load at half the capacity measured first, the deployment read each interval (a minute, or a "
            + "sixth of a shorter run); fails on any error, loss or growth beyond noise.")
    String soak;

    @Option(names = "--chaos", paramLabel = "DURATION", description = "Processes mode only: run only the chaos run for "
            + "this long: the soak's mixed load at --rate while a random service process (never a gateway) is killed "
            + "every --kill-every; fails when anything acknowledged was lost or doubled.")
    String chaos;

    @Option(names = "--kill-every", paramLabel = "DURATION", defaultValue = "20s", description = "Chaos: time between "
            + "kills. Default: ${DEFAULT-VALUE}.")
    String killEvery;

    @Option(names = "--rate", defaultValue = "100", description = "Chaos: requests per second of the mixed load. "
            + "Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--seed", description = "Chaos: the seed of the choice of victims (default: random, printed).")
    Long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("all-in-one") && !mode.equals("processes")) {
            throw new IllegalArgumentException("--mode must be all-in-one or processes");
        }
        if (chaos != null && !mode.equals("processes")) {
            throw new IllegalArgumentException("--chaos kills service processes: it needs --mode processes");
        }
        Plan plan = quick ? Plan.brief() : Plan.full();
        var report = new Report(mode, plan);
        Path rootDir = root.toAbsolutePath().normalize();
        Files.createDirectories(out);
        var environment = Map.of(
                "BABBLE_GATEWAY_RATE_PER_USER", "100000", "BABBLE_GATEWAY_BURST_PER_USER", "100000",
                "BABBLE_GATEWAY_RATE_PER_ADDRESS", "100000", "BABBLE_GATEWAY_BURST_PER_ADDRESS", "100000",
                // A hundred accounts hold the thousands of sockets the live scenarios open (50 per user by default).
                "BABBLE_GATEWAY_SOCKETS_PER_USER", "100000",
                // Presence rounds wait out the grace before the next one: a second instead of five.
                "BABBLE_GATEWAY_PRESENCE_GRACE", "1s",
                // The diagnostic job kind measures the queue; the embedded MQTT broker takes a free port.
                "BABBLE_JOBS_PROBE", "true", "BABBLE_MQTT_BROKER_PORT", "0");
        var options = new LocalBabble.Options("bench-" + mode, mode, 1, environment, rootDir, rootDir.resolve("bench/target/logs"));
        // A rebuilt launcher makes the class-data archives stale: the deployment deletes them, and its first clean
        // exit writes them again. In processes mode each service's JVM has its own (babble-service-<name>.jsa).
        List<Path> archives = new ArrayList<>(List.of(LocalBabble.classDataArchive(rootDir, mode)));
        if (mode.equals("processes")) {
            try (var found = Files.list(rootDir.resolve("app/target"))) {
                found.filter(p -> p.getFileName().toString().matches("babble-service-.+\\.jsa")).forEach(archives::add);
            }
            if (archives.size() == 1) {
                archives.add(rootDir.resolve("app/target/babble-service-gateway.jsa")); // none yet: stale
            }
        }
        boolean stale = archives.stream().anyMatch(archive -> LocalBabble.isStale(archive, rootDir));
        if (stale) {
            log("a first start writes the class-data archives that every later start uses");
            LocalBabble.start(options).close();
        }
        log("starting Babble (" + mode + ")");
        long startBegan = System.nanoTime();
        try (var babble = LocalBabble.start(options);
             var target = new Target(babble.baseUrl(), babble::processes)) {
            report.startup((System.nanoTime() - startBegan) / 1e9, Machine.rssMiB(babble.processes()));
            log("populating: " + plan.users() + " users, " + plan.rooms() + " rooms");
            target.populate(plan.users(), plan.rooms());
            Thread.sleep(1_000);
            report.rssAtRest(Machine.rssMiB(babble.processes()));
            if (chaos != null) {
                long chosen = seed != null ? seed : new java.util.Random().nextLong();
                Duration length = duration("--chaos", chaos);
                Duration every = duration("--kill-every", killEvery);
                log("chaos: " + length.toSeconds() + " s at " + rate + " requests/s, a kill every " + every.toSeconds()
                        + " s (seed " + chosen + ")");
                var result = Chaos.run(target, length, every, rate, chosen, babble::processes, babble::console);
                log("report: " + ChaosReport.write(out, commit(rootDir), result));
                result.kills().forEach(k -> log(String.format("killed %s at %.1f s; every part ready %.1f s later",
                        k.service(), k.atSeconds(), k.readyAfterSeconds())));
                result.failures().forEach(f -> log("chaos failed: " + f));
                return result.failures().isEmpty() ? 0 : 1;
            }
            if (soak != null) {
                Duration length = duration("--soak", soak);
                Duration interval = length.compareTo(Duration.ofMinutes(6)) >= 0 ? Duration.ofMinutes(1)
                        : Duration.ofSeconds(Math.max(10, length.toSeconds() / 6));
                log("soak: measuring capacity, then " + length.toSeconds() + " s at half of it, read every "
                        + interval.toSeconds() + " s");
                String databases = babble.namespace() + "\\_%";
                var result = Soak.run(target, length, interval, quick, babble::processes,
                        mode.equals("processes") ? () -> PgConnections.count("127.0.0.1", 5432, databases) : () -> -1);
                log("report: " + SoakReport.write(out, mode, commit(rootDir), result));
                result.failures().forEach(f -> log("soak failed: " + f));
                return result.failures().isEmpty() ? 0 : 1;
            }
            if ("jobs".equals(only)) {
                jobsAndMqtt(target, babble, plan, report.jobs());
                log("report: " + report.writeOnly("jobs", out, commit(rootDir)));
                return 0;
            }
            if ("presence".equals(only)) {
                presence(target, babble, plan, report);
                log("report: " + report.writeOnly("presence", out, commit(rootDir)));
                return 0;
            }
            if ("topics".equals(only)) {
                topics(target, babble, plan, report.topics());
                log("report: " + report.writeOnly("topics", out, commit(rootDir)));
                return 0;
            }

            // The JIT needs a minute or more on two cores (processes mode: eight JVMs compiling at once) before a
            // path runs at its steady speed: every measured path is exercised first.
            log("warming up: posting, then reading history, for " + plan.warmup().toSeconds() + " s each");
            Requests.post(target, List.of(200), plan.warmup());
            Requests.latest(target, 200, plan.warmup().dividedBy(2));
            log("post messages at " + plan.postRates() + " per second");
            report.posts(Requests.post(target, plan.postRates(), plan.step()));
            Thread.sleep(3_000); // the saturating steps leave a backlog behind: let it drain before measuring more
            long lastSeq = target.lastSeq(target.rooms().getFirst());
            log("read history");
            report.history(Requests.latest(target, plan.historyRate(), plan.step()),
                    Requests.before(target, plan.historyRate(), plan.step(), lastSeq));
            log("posts: create and comment at " + plan.postsRates() + " per second, list hot posts at " + plan.historyRate());
            var seeded = Posts.seed(target, plan.quick() ? 2 : 5);
            // Warm the paths first, as long as messages' (processes mode: three more JVMs compile them).
            Posts.create(target, List.of(150), plan.warmup());
            Posts.comment(target, seeded, List.of(150), plan.warmup().dividedBy(2));
            Posts.listHot(target, 150, plan.warmup().dividedBy(2));
            report.postsAndComments(Posts.create(target, plan.postsRates(), plan.step()),
                    Posts.comment(target, seeded, plan.postsRates(), plan.step()),
                    Posts.listHot(target, plan.historyRate(), plan.step()));
            Thread.sleep(3_000);
            log("the visit counter at saturation (" + Counter.CONNECTIONS + " connections)");
            report.counter(Counter.saturate(target.load(), "/api/v1/counter", babble::processes, plan.counterWarmup(),
                    plan.counterStep(), plan.counterRuns()));
            log("warming up the fan-out");
            Live.fanOut(target.rooms().subList(0, Math.min(10, target.rooms().size())), 20, plan.fanOutPostsPerSecond(),
                    plan.warmup().dividedBy(2), Live.babbleSockets(target), Live.babblePoster(target), babble::processes);
            for (int[] shape : plan.fanOuts()) {
                log("fan-out " + shape[0] + " rooms × " + shape[1] + " sockets");
                report.fanOut(Live.fanOut(target.rooms().subList(0, Math.min(shape[0], target.rooms().size())), shape[1],
                        plan.fanOutPostsPerSecond(), plan.step(), Live.babbleSockets(target), Live.babblePoster(target),
                        babble::processes));
            }
            log("idle sockets: " + plan.idleSockets());
            report.idle(Live.idle(target, plan.idleSockets()));
            log("!quote round trip");
            report.quotes(Live.quoteRoundTrip(target, plan.quotesPerSecond(), plan.step()));
            log("reconnect storm: " + plan.reconnectClients() + " clients");
            report.reconnect(Live.reconnectStorm(target, plan.reconnectClients(), 50));
            presence(target, babble, plan, report);
            report.rssAfterLoad(Machine.rssMiB(babble.processes()));
            jobsAndMqtt(target, babble, plan, report.jobs());
            topics(target, babble, plan, report.topics());
            log("the read model's rebuild: writing " + plan.rebuildPosts() + " posts and as many comments, then replaying");
            report.rebuild(Posts.rebuild(target, seeded, plan.rebuildPosts(), babble::console, babble::processes));
        } catch (Exception | Error e) {
            log("failed: " + e); // now, before closing the deployment (which can take a while) hides it
            throw e;
        }

        log("baseline: seed 000's Node app, its counter at saturation");
        seedApp(rootDir, plan, report);
        log("baselines: bare HTTP and WebSocket on the same server library");
        baselines(plan, report);
        log("baselines: INSERT loop on the same store");
        report.jdbc(JdbcInsert.h2(Files.createTempDirectory("babble-bench-h2-"), plan.jdbc()));
        if (mode.equals("processes")) {
            report.jdbc(JdbcInsert.postgres("127.0.0.1", 5432, plan.jdbc()));
            log("baselines: pgbench");
            report.pgbench(PgBench.run("127.0.0.1", 5432, (int) plan.step().toSeconds()));
        }
        Path written = report.write(out, commit(rootDir));
        log("report: " + written);
        return 0;
    }

    private static void presence(Target target, LocalBabble babble, Plan plan, Report report) throws Exception {
        log("presence: " + plan.presenceUsers() + " users × " + plan.presenceSocketsPerUser() + " sockets, "
                + plan.presenceRounds() + " rounds of a user coming online and of a message");
        report.presence().result(PresenceFanOut.run(target, plan.presenceUsers(), plan.presenceSocketsPerUser(),
                plan.presenceRounds(), babble::processes));
    }

    /** "90s", "10m", "1h" (or an ISO-8601 duration such as PT10M); at least 10 s. */
    static Duration duration(String option, String text) {
        var simple = java.util.regex.Pattern.compile("(\\d+)([smh])").matcher(text.strip());
        Duration length = simple.matches()
                ? Duration.of(Long.parseLong(simple.group(1)), switch (simple.group(2)) {
                    case "s" -> java.time.temporal.ChronoUnit.SECONDS;
                    case "m" -> java.time.temporal.ChronoUnit.MINUTES;
                    default -> java.time.temporal.ChronoUnit.HOURS;
                })
                : parseIso(option, text.strip());
        if (length.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new CommandLine.ParameterException(new CommandLine(new BenchMain()), option + " needs 10 s or more, got " + text);
        }
        return length;
    }

    private static Duration parseIso(String option, String text) {
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandLine.ParameterException(new CommandLine(new BenchMain()),
                    option + " takes a duration such as 90s, 10m or 1h, got '" + text + "'");
        }
    }

    /**
     * Seed 004: a generated reddit dump imported (twice: the second into a room of its own, so both write every
     * post) next to a batched INSERT; search at that size while posts arrive, next to bare Lucene on the same index
     * (twice); the index lag of new posts (twice); the feed (twice).
     */
    private void topics(Target target, LocalBabble babble, Plan plan, TopicsSection section) throws Exception {
        Path dump = Files.createTempFile("babble-bench-reddit-", ".ndjson");
        try {
            int lines = plan.importPosts();
            log("topics: generating a reddit dump of " + lines + " lines");
            RedditSample.write(dump, lines, lines / 1000, 42);
            String store = mode.equals("processes") ? "postgres" : "h2";
            Topics.ImportRun last = null;
            for (int run = 0; run < 2; run++) {
                log("topics: importing it (" + (run + 1) + " of 2)");
                last = Topics.importFile(target, dump, lines);
                double catchUp = Topics.awaitIndexed(target, last.room(), last.imported(), Duration.ofMinutes(15));
                log("topics: the search index caught up " + Math.round(catchUp) + " s after the import's end");
                section.imported(last, catchUp, Topics.bareInsert(store, last.imported()));
            }
            Path index = babble.dataDir().resolve("search").resolve("search");
            long posts = 2 * last.imported();
            // The JIT compiles the search path (and the posting path it runs beside) first, as for every scenario.
            log("topics: warming up search and posting for " + plan.warmup().toSeconds() + " s");
            Topics.searchWhilePosting(target, plan.searchRate(), 20, plan.warmup());
            Topics.bareLucene(index, 2_000);
            for (int run = 0; run < 2; run++) {
                log("topics: search at " + posts + " posts while posts arrive (" + (run + 1) + " of 2)");
                var search = Topics.searchWhilePosting(target, plan.searchRate(), 20, plan.step());
                section.search(posts, search, Topics.bareLucene(index, (int) search.latency().count()));
            }
            for (int run = 0; run < 2; run++) {
                log("topics: index lag (" + (run + 1) + " of 2)");
                section.lag(Topics.indexLag(target, plan.lagPosts(), 10));
            }
            for (int run = 0; run < 2; run++) {
                log("topics: the feed (" + (run + 1) + " of 2)");
                section.feed(Topics.feed(target, last.room(), RedditSample.FLAIR_TAGS, plan.step()));
            }
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /**
     * Seed 003: trivial jobs through the queue (processes mode: with one jobs process, then two), the bare queue,
     * exports twice next to reading the history, and the MQTT bridge both ways next to the broker alone.
     */
    private void jobsAndMqtt(Target target, LocalBabble babble, Plan plan, JobsSection section) throws Exception {
        log("jobs: " + plan.queueJobs() + " trivial jobs through the queue");
        Jobs.queue(target, "warm-up", plan.queueJobs() / 3);
        if (mode.equals("processes")) {
            babble.console("stop jobs-2");
            section.queue(Jobs.queue(target, "1 jobs process", plan.queueJobs()));
            babble.console("start jobs-2");
            while (babble.console("status").matches("(?s).*\\bjobs-2:\\d+ \\((not ready|stopped)\\).*")) {
                Thread.sleep(200);
            }
            section.queue(Jobs.queue(target, "2 jobs processes", plan.queueJobs()));
            section.queue(Jobs.queue(target, "2 jobs processes, again", plan.queueJobs()));
        } else {
            section.queue(Jobs.queue(target, "one process", plan.queueJobs()));
            section.queue(Jobs.queue(target, "one process, again", plan.queueJobs()));
        }
        section.bareQueue(Jobs.bareRedisStreams(System.getenv().getOrDefault("BABBLE_REDIS_URL", "redis://127.0.0.1:6379"),
                plan.queueJobs()));
        log("exports: a room of " + plan.exportMessages() + " messages");
        UUID room = Jobs.roomWith(target, plan.exportMessages());
        Jobs.export(target, room); // warm-up
        for (int i = 0; i < 2; i++) {
            section.export(Jobs.export(target, room), Jobs.readHistory(target, room));
        }
        log("MQTT at " + plan.mqttRates() + " per second");
        try (var mqtt = Mqtt.start(target)) {
            mqtt.roomToTopic(List.of(100), plan.warmup().dividedBy(4));
            mqtt.roundTrip(List.of(100), plan.warmup().dividedBy(4));
            section.mqtt(mqtt.broker(), mqtt.roomToTopic(plan.mqttRates(), plan.step()),
                    mqtt.roundTrip(plan.mqttRates(), plan.step()), mqtt.brokerOnly(plan.mqttRates(), plan.step()));
        }
    }

    private static void baselines(Plan plan, Report report) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var server = new ProcessBuilder(javaBin, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "babble.bench.baselines.BaselineServer", Integer.toString(port)).redirectErrorStream(true).start();
        var reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null && !line.contains("baseline ready")) {
                // wait for it
            }
            Thread.ofVirtual().start(() -> {
                try {
                    reader.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException e) {
                    // the baseline server ended
                }
            });
            URI base = URI.create("http://127.0.0.1:" + port);
            var client = new LoadClient(base);
            List<ProcessHandle> handle = List.of(server.toHandle());
            OpenLoop.run(200, plan.warmup(), 20_000, (i, s) -> client.send("GET", "/hello", null, null)
                    .thenApply(status -> status == 200));
            var hello = new ArrayList<OpenLoop.Result>();
            for (int rate : plan.postRates()) {
                hello.add(OpenLoop.measured(handle, rate, plan.step(), 20_000, (i, s) -> client.send("GET", "/hello", null, null)
                        .thenApply(status -> status == 200)));
            }
            report.hello(hello);
            var sockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
            var warmRooms = new ArrayList<UUID>();
            for (int r = 0; r < 10; r++) {
                warmRooms.add(UUID.randomUUID());
            }
            Live.fanOut(warmRooms, 20, plan.fanOutPostsPerSecond(), plan.warmup().dividedBy(2),
                    Live.bareSockets(sockets, base), Live.barePoster(client), () -> handle); // warm-up, as for Babble
            for (int[] shape : plan.fanOuts()) {
                var rooms = new ArrayList<UUID>();
                for (int r = 0; r < shape[0]; r++) {
                    rooms.add(UUID.randomUUID());
                }
                report.bareFanOut(Live.fanOut(rooms, shape[1], plan.fanOutPostsPerSecond(), plan.step(),
                        Live.bareSockets(sockets, base), Live.barePoster(client), () -> handle));
            }
            report.bareRss(Machine.rssMiB(handle));
            client.close();
        } finally {
            server.destroy(); // its output ends with it, and so does the thread draining it
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Seed 000's own app, measured like Babble's counter; when it cannot run here the report says why. */
    private static void seedApp(Path root, Plan plan, Report report) throws Exception {
        var sources = SeedNodeApp.sources(root);
        if (sources.isEmpty()) {
            report.seedCounterMissing("its sources were not found (../shared/anchors/seed000-node, or BABBLE_BENCH_SEED000)");
            log("seed 000's app skipped: its sources were not found");
            return;
        }
        Path logs = root.resolve("bench/target/logs");
        Files.createDirectories(logs);
        try (var app = SeedNodeApp.start(sources.get(), Files.createTempDirectory("babble-bench-seed000-"),
                logs.resolve("seed000-node.log"));
             var client = new LoadClient(URI.create("http://127.0.0.1:" + SeedNodeApp.PORT))) {
            report.seedCounter(Counter.saturate(client, "/counter", app::processes, plan.counterWarmup(),
                    plan.counterStep(), plan.counterRuns()));
        } catch (SeedNodeApp.Unavailable e) {
            report.seedCounterMissing(e.getMessage());
            log("seed 000's app skipped: " + e.getMessage());
        }
    }

    private static String commit(Path root) {
        try {
            var process = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD").start();
            String commit = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? commit : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void log(String text) {
        System.out.printf("bench %tT: %s%n", java.time.LocalTime.now(), text);
    }
}
