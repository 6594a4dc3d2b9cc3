package babble.bench.report;

import babble.bench.Latency;
import babble.bench.Machine;
import babble.bench.OpenLoop;
import babble.bench.Plan;
import babble.bench.baselines.JdbcInsert;
import babble.bench.baselines.PgBench;
import babble.bench.scenarios.Live;
import babble.client.BabbleClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects every figure of a run and writes them as Markdown (with PNG charts) and as a JSON summary. */
public final class Report {
    private final String mode;
    private final Plan plan;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private List<OpenLoop.Result> posts = List.of();
    private List<OpenLoop.Result> hello = List.of();
    private final List<Live.FanOut> fanOuts = new ArrayList<>();
    private final List<Live.FanOut> bareFanOuts = new ArrayList<>();
    private final List<JdbcInsert.Result> jdbc = new ArrayList<>();
    private final CounterSection counter;
    private final PostsSection postsSection = new PostsSection();
    private final JobsSection jobsSection = new JobsSection();
    private final TopicsSection topicsSection = new TopicsSection();
    private final PresenceSection presenceSection = new PresenceSection();

    public Report(String mode, Plan plan) {
        this.mode = mode;
        this.plan = plan;
        this.counter = new CounterSection(mode);
    }

    public void counter(List<OpenLoop.Result> runs) {
        counter.babble(runs);
        figures.put("counter", runs);
    }

    public void seedCounter(List<OpenLoop.Result> runs) {
        counter.seed(runs);
        figures.put("baselineSeed000Counter", runs);
    }

    public void seedCounterMissing(String reason) {
        counter.seedMissing(reason);
        figures.put("baselineSeed000Counter", "not measured: " + reason);
    }

    public void postsAndComments(List<OpenLoop.Result> create, List<OpenLoop.Result> comment, OpenLoop.Result listHot) {
        postsSection.measured(create, comment, listHot);
    }

    public void rebuild(babble.bench.scenarios.Posts.Rebuild rebuild) {
        postsSection.rebuild(rebuild);
    }

    /** Seed 003's figures (jobs, exports, MQTT), filled by their scenarios. */
    public JobsSection jobs() {
        return jobsSection;
    }

    /** Presence's fan-out next to a message's, filled by its scenario. */
    public PresenceSection presence() {
        return presenceSection;
    }

    /** Seed 004's figures (import, search, index lag, feed), filled by their scenarios. */
    public TopicsSection topics() {
        return topicsSection;
    }

    /**
     * Writes a report of one group of scenarios alone ({@code --only jobs}: seed 003's; {@code --only topics}: seed
     * 004's): {@code <date>-<mode>-<only>.md} and its JSON; returns the Markdown's path.
     */
    public Path writeOnly(String group, Path dir, String commit) throws IOException {
        String name = LocalDate.now(ZoneOffset.UTC) + "-" + mode + "-" + group + (plan.quick() ? "-quick" : "");
        var only = new LinkedHashMap<String, Object>();
        jobsSection.figures(only);
        topicsSection.figures(only);
        presenceSection.figures(only);
        var more = new LinkedHashMap<String, Object>();
        more.put("quick", plan.quick());
        more.put("figures", only);
        Summaries.writeJson(dir.resolve(name + ".json"), mode, commit, more);
        var md = new StringBuilder("# Babble benchmark: ").append(mode).append(", ")
                .append(switch (group) {
                    case "jobs" -> "jobs and MQTT";
                    case "topics" -> "topics (import, search, feed)";
                    default -> group;
                }).append(" only")
                .append(plan.quick() ? " (quick)" : "").append("\n\n").append(Summaries.commitAndMachine(commit))
                .append(" The load generator shares the machine; baselines are measured in the same run.\n\n");
        jobsSection.markdown(md);
        topicsSection.markdown(md);
        presenceSection.markdown(md);
        Path file = dir.resolve(name + ".md");
        Files.writeString(file, md.toString());
        return file;
    }

    public void startup(double seconds, double rssMiB) {
        figures.put("startupSeconds", round(seconds));
        figures.put("rssAtStartMiB", round(rssMiB));
    }

    public void rssAtRest(double rssMiB) {
        figures.put("rssAtRestMiB", round(rssMiB));
    }

    public void rssAfterLoad(double rssMiB) {
        figures.put("rssAfterLoadMiB", round(rssMiB));
    }

    public void posts(List<OpenLoop.Result> results) {
        posts = results;
        figures.put("post", results);
    }

    public void hello(List<OpenLoop.Result> results) {
        hello = results;
        figures.put("baselineHello", results);
    }

    public void history(OpenLoop.Result latest, OpenLoop.Result before) {
        figures.put("historyLatest", latest);
        figures.put("historyBefore", before);
    }

    public void fanOut(Live.FanOut result) {
        fanOuts.add(result);
        figures.put("fanOut", fanOuts);
    }

    public void bareFanOut(Live.FanOut result) {
        bareFanOuts.add(result);
        figures.put("baselineBroadcast", bareFanOuts);
    }

    public void bareRss(double rssMiB) {
        figures.put("baselineServerRssMiB", round(rssMiB));
    }

    public void idle(Live.IdleSockets result) {
        figures.put("idleSockets", result);
    }

    public void quotes(Latency latency) {
        figures.put("quoteRoundTrip", latency);
    }

    public void reconnect(Live.Reconnect result) {
        figures.put("reconnectStorm", result);
    }

    public void jdbc(JdbcInsert.Result result) {
        jdbc.add(result);
        figures.put("baselineInsert", jdbc);
    }

    public void pgbench(PgBench.Result result) {
        figures.put("baselinePgbench", result);
    }

    /** Writes {@code <date>-<mode>[-quick].md}, its charts and its JSON summary; returns the Markdown's path. */
    public Path write(Path dir, String commit) throws IOException {
        String name = LocalDate.now(ZoneOffset.UTC) + "-" + mode + (plan.quick() ? "-quick" : "");
        postsSection.figures(figures);
        jobsSection.figures(figures);
        topicsSection.figures(figures);
        presenceSection.figures(figures);
        figures.put("ratios", ratios());
        var machine = new LinkedHashMap<String, Object>();
        machine.put("cores", Machine.cores());
        machine.put("memory", Machine.memory());
        machine.put("cpu", Machine.cpuModel());
        machine.put("jdk", Machine.jdk());
        var summary = new LinkedHashMap<String, Object>();
        summary.put("mode", mode);
        summary.put("quick", plan.quick());
        summary.put("commit", commit);
        summary.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        summary.put("machine", machine);
        summary.put("figures", figures);
        Files.writeString(dir.resolve(name + ".json"), BabbleClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        String postChart = Charts.latencyByRate(dir, name + "-post-latency.png", posts, hello);
        String fanChart = Charts.deliveriesBySockets(dir, name + "-fanout.png", fanOuts, bareFanOuts);
        Path md = dir.resolve(name + ".md");
        Files.writeString(md, markdown(name, commit, machine, postChart, fanChart));
        return md;
    }

    private Map<String, Object> ratios() {
        var ratios = new LinkedHashMap<String, Object>();
        for (int i = 0; i < Math.min(posts.size(), hello.size()); i++) {
            var p = posts.get(i);
            var h = hello.get(i);
            ratios.put("postVsHelloP50@" + (int) p.offeredPerSecond(), ratio(p.latency().p50(), h.latency().p50()));
            ratios.put("postVsHelloP99@" + (int) p.offeredPerSecond(), ratio(p.latency().p99(), h.latency().p99()));
            ratios.put("postVsHelloServerCpu@" + (int) p.offeredPerSecond(), ratio(p.serverCpuMsPerRequest(), h.serverCpuMsPerRequest()));
        }
        for (int i = 0; i < Math.min(fanOuts.size(), bareFanOuts.size()); i++) {
            var b = fanOuts.get(i);
            var bare = bareFanOuts.get(i);
            String shape = b.rooms() + "x" + b.socketsPerRoom();
            ratios.put("fanOutDeliveriesPerCpuSecondVsBare@" + shape, ratio(b.deliveriesPerCpuSecond(), bare.deliveriesPerCpuSecond()));
            ratios.put("fanOutP99VsBare@" + shape, ratio(b.latency().p99(), bare.latency().p99()));
        }
        if (!jdbc.isEmpty() && posts.size() > 1) {
            ratios.put("postP50VsInsertP50@500", ratio(posts.get(1).latency().p50(), jdbc.getFirst().latency().p50()));
        }
        counter.ratios(ratios);
        postsSection.ratios(ratios, posts, hello);
        return ratios;
    }

    private String markdown(String name, String commit, Map<String, Object> machine, String postChart, String fanChart) {
        var md = new StringBuilder();
        md.append("# Babble benchmark: ").append(mode).append(plan.quick() ? " (quick)" : "").append("\n\n");
        md.append("Commit `").append(commit).append("`, ").append(LocalDate.now(ZoneOffset.UTC)).append(". Machine: ")
                .append(machine.get("cores")).append(" cores (").append(machine.get("cpu")).append("), ")
                .append(machine.get("memory")).append(", ").append(machine.get("jdk")).append(".\n\n");
        md.append("Load is open-loop: requests leave on a fixed schedule and latency counts from the scheduled time, so a "
                + "stall is charged to every request behind it. Latencies in milliseconds (HdrHistogram). The load generator "
                + "runs on the same 2 cores as the servers, and baselines are measured in the same run: compare the ratios, "
                + "not the absolute figures. Figures for JSON readers: `").append(name).append(".json`.\n\n");
        md.append("Settings: ").append(plan.step().toSeconds()).append(" s per step, after a warm-up of ")
                .append(plan.warmup().toSeconds()).append(" s of posting at 200/s and ").append(plan.warmup().toSeconds() / 2)
                .append(" s of reading history (the counter gets its own); ").append(plan.users()).append(" users in ")
                .append(plan.rooms()).append(" rooms.\n\n");

        md.append("## Start and memory\n\n| Figure | Value |\n|---|---|\n");
        md.append("| time to ready (process start → ready line; class-data archive from an earlier start) | ").append(figures.get("startupSeconds")).append(" s |\n");
        md.append("| RSS at start | ").append(figures.get("rssAtStartMiB")).append(" MiB |\n");
        md.append("| RSS at rest (after creating users and rooms) | ").append(figures.get("rssAtRestMiB")).append(" MiB |\n");
        md.append("| RSS after all the load | ").append(figures.get("rssAfterLoadMiB")).append(" MiB |\n");
        md.append("| baseline: bare server RSS after its load | ").append(figures.get("baselineServerRssMiB")).append(" MiB |\n\n");

        md.append("## Posting a message (POST /rooms/{id}/messages through the gateway)\n\n");
        md.append("Baseline: `GET /hello` on a bare Javalin server with the same settings, at the same rates.\n\n");
        md.append(latencyHeader("offered/s"));
        for (int i = 0; i < posts.size(); i++) {
            md.append(latencyRow("post " + (int) posts.get(i).offeredPerSecond(), posts.get(i)));
            if (i < hello.size()) {
                md.append(latencyRow("hello " + (int) hello.get(i).offeredPerSecond(), hello.get(i)));
            }
        }
        md.append("\n![post latency](").append(postChart).append(")\n\n");

        if (counter.measured()) {
            counter.markdown(md, babble.bench.scenarios.Counter.CONNECTIONS);
        }

        md.append("## Reading history\n\n").append(latencyHeader("offered/s"));
        md.append(latencyRow("latest 50", (OpenLoop.Result) figures.get("historyLatest")));
        md.append(latencyRow("50 before a seq", (OpenLoop.Result) figures.get("historyBefore")));
        md.append("\n");
        postsSection.markdown(md, posts, hello, (OpenLoop.Result) figures.get("historyLatest"));
        jobsSection.markdown(md);

        md.append("\n## Fan-out to live sockets\n\nPosts at a fixed rate, round-robin over the rooms; latency from the scheduled "
                + "post to receipt on each socket. Baseline: a bare WebSocket broadcast on the same server library (the frame "
                + "built once, sent to each socket).\n\n");
        md.append("| Who | rooms × sockets | posts/s | deliveries/s | deliveries per server CPU-second | p50 | p99 | p99.9 | max "
                + "| not delivered within 10 s | sockets closed by the server |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < fanOuts.size(); i++) {
            md.append(fanRow("Babble", fanOuts.get(i)));
            if (i < bareFanOuts.size()) {
                md.append(fanRow("bare broadcast", bareFanOuts.get(i)));
            }
        }
        md.append("\n![fan-out](").append(fanChart).append(")\n\n");

        var idle = (Live.IdleSockets) figures.get("idleSockets");
        md.append("## Idle sockets\n\n").append(idle.sockets()).append(" authenticated, subscribed, quiet sockets; the "
                + "figures are the growth from opening the second half, in the processes that hold the sockets. Live "
                + "heap after a full collection (what the sockets retain): ").append(round(idle.heapBeforeMiB())).append(" → ")
                .append(round(idle.heapAfterMiB())).append(" MiB, **").append(round(idle.heapKibPerSocket()))
                .append(" KiB per socket**. Resident memory: ").append(round(idle.rssBeforeMiB())).append(" → ")
                .append(round(idle.rssAfterMiB())).append(" MiB (").append(round(idle.rssKibPerSocket()))
                .append(" KiB per socket; RSS also moves with the heap's own sizing, so it is the rougher figure). "
                + "Kernel socket buffers are counted in neither.\n\n");

        var quote = (Latency) figures.get("quoteRoundTrip");
        md.append("## !quote round trip\n\nFrom the scheduled post of `!quote` to the bot's reply on a socket: p50 ")
                .append(quote.p50()).append(" ms, p99 ").append(quote.p99()).append(" ms, max ").append(quote.max())
                .append(" ms (").append(quote.count()).append(" replies, ").append(quote.errors()).append(" missing).\n\n");

        var storm = (Live.Reconnect) figures.get("reconnectStorm");
        md.append("## Reconnect storm\n\n").append(storm.clients()).append(" clients drop at once; ").append(storm.missedEach())
                .append(" messages are posted; all reconnect at once with their last seq. Every client caught up in ")
                .append(round(storm.allCaughtUpMs())).append(" ms; per client p50 ").append(storm.latency().p50())
                .append(" ms, p99 ").append(storm.latency().p99()).append(" ms.\n\n");
        presenceSection.markdown(md);

        md.append("## Store baselines\n\n| Store | single-row INSERT+commit/s | p50 | p99 |\n|---|---|---|---|\n");
        for (JdbcInsert.Result r : jdbc) {
            md.append("| ").append(r.store()).append(" | ").append(round(r.insertsPerSecond())).append(" | ")
                    .append(r.latency().p50()).append(" | ").append(r.latency().p99()).append(" |\n");
        }
        if (figures.get("baselinePgbench") instanceof PgBench.Result pg) {
            md.append("\npgbench: ").append(pg.note()).append(": ").append(round(pg.tps())).append(" tps, latency average ")
                    .append(pg.latencyAverageMs()).append(" ms.\n");
        }

        md.append("\n## Ratios to the baselines\n\n| Ratio | Value |\n|---|---|\n");
        ratios().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));

        md.append("\n## Against the goals\n\n| Goal | Measured | Met |\n|---|---|---|\n");
        goals(md);
        return md.toString();
    }

    private void goals(StringBuilder md) {
        counter.goals(md);
        posts.stream().filter(p -> p.offeredPerSecond() == 1_000).findFirst().ifPresent(p -> {
            if (mode.equals("all-in-one")) {
                goal(md, "post p99 ≤ 10 ms at 1,000 req/s", p.latency().p99() + " ms", p.latency().p99() <= 10);
            }
            goal(md, "(the aim) post p99 ≤ 4 ms at 1,000 req/s", p.latency().p99() + " ms", p.latency().p99() <= 4);
        });
        if (mode.equals("processes")) {
            posts.stream().filter(p -> p.offeredPerSecond() == 500).findFirst().ifPresent(p -> goal(md,
                    "500 posts/s held with no errors at p99 ≤ 50 ms", round(p.achievedPerSecond()) + "/s, "
                            + p.latency().errors() + " errors, p99 " + p.latency().p99() + " ms",
                    p.latency().errors() == 0 && p.latency().p99() <= 50));
        }
        fanOuts.stream().max(java.util.Comparator.comparingDouble(Live.FanOut::deliveriesPerCpuSecond)).ifPresent(f -> {
            goal(md, "≥ 25,000 deliveries/s per server core", round(f.deliveriesPerCpuSecond()) + " per CPU-second ("
                    + f.rooms() + "×" + f.socketsPerRoom() + ")", f.deliveriesPerCpuSecond() >= 25_000);
            goal(md, "fan-out p99 ≤ 50 ms", f.latency().p99() + " ms", f.latency().p99() <= 50);
        });
        for (int i = 0; i < Math.min(fanOuts.size(), bareFanOuts.size()); i++) {
            double r = fanOuts.get(i).deliveriesPerCpuSecond() / Math.max(1e-9, bareFanOuts.get(i).deliveriesPerCpuSecond());
            goal(md, "≥ 0.6× the bare broadcast (" + fanOuts.get(i).rooms() + "×" + fanOuts.get(i).socketsPerRoom() + ")",
                    round(r) + "×", r >= 0.6);
        }
        var idle = (Live.IdleSockets) figures.get("idleSockets");
        goal(md, "≤ 20 KB per idle socket", round(idle.heapKibPerSocket()) + " KiB of live heap", idle.heapKibPerSocket() <= 20);
        if (mode.equals("all-in-one")) {
            double ready = (double) figures.get("startupSeconds");
            goal(md, "all-in-one ready ≤ 3 s", ready + " s (process start to ready)", ready <= 3);
            double rss = (double) figures.get("rssAfterLoadMiB");
            goal(md, "≤ 400 MB RSS after the whole bench", rss + " MiB", rss * 1.048576 <= 400);
        }
        var quote = (Latency) figures.get("quoteRoundTrip");
        goal(md, "!quote p99 ≤ 100 ms", quote.p99() + " ms", quote.p99() <= 100);
    }

    static void goal(StringBuilder md, String goal, String measured, boolean met) {
        md.append("| ").append(goal).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }

    static String latencyHeader(String what) {
        return "| Run | " + what + " | achieved/s | errors | p50 | p90 | p99 | p99.9 | max | server CPU ms per request |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n";
    }

    static String latencyRow(String label, OpenLoop.Result r) {
        Latency l = r.latency();
        return "| " + label + " | " + (int) r.offeredPerSecond() + " | " + round(r.achievedPerSecond()) + " | " + l.errors()
                + " | " + l.p50() + " | " + l.p90() + " | " + l.p99() + " | " + l.p999() + " | " + l.max() + " | "
                + r.serverCpuMsPerRequest() + " |\n";
    }

    private static String fanRow(String who, Live.FanOut f) {
        return "| " + who + " | " + f.rooms() + " × " + f.socketsPerRoom() + " | " + (int) f.postsPerSecond() + " | "
                + round(f.deliveriesPerSecond()) + " | " + round(f.deliveriesPerCpuSecond()) + " | " + f.latency().p50()
                + " | " + f.latency().p99() + " | " + f.latency().p999() + " | " + f.latency().max() + " | "
                + (f.expected() - f.delivered()) + " | " + f.socketsClosed() + " |\n";
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : round(a / b);
    }

    static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
    }
}
