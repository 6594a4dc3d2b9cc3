package babble.bench.report;

import babble.bench.Latency;
import babble.bench.OpenLoop;
import java.util.List;
import java.util.Map;

/**
 * The report's part on the visit counter: Babble's {@code GET /api/v1/counter} against seed 000's own Node app
 * at saturation, each run twice after a warm-up, and the goals the request-path issue set for it.
 */
final class CounterSection {
    private final String mode;
    private List<OpenLoop.Result> babble = List.of();
    private List<OpenLoop.Result> seed = List.of();
    private String seedMissing;

    CounterSection(String mode) {
        this.mode = mode;
    }

    void babble(List<OpenLoop.Result> results) {
        babble = results;
    }

    void seed(List<OpenLoop.Result> results) {
        seed = results;
    }

    void seedMissing(String reason) {
        seedMissing = reason;
    }

    boolean measured() {
        return !babble.isEmpty();
    }

    /** Median of the runs' throughput (two runs: their mean), and the worse of their p99s. */
    private static double throughput(List<OpenLoop.Result> runs) {
        var sorted = runs.stream().mapToDouble(OpenLoop.Result::achievedPerSecond).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double worstP99(List<OpenLoop.Result> runs) {
        return runs.stream().mapToDouble(r -> r.latency().p99()).max().orElse(0);
    }

    void ratios(Map<String, Object> ratios) {
        if (!babble.isEmpty() && !seed.isEmpty()) {
            ratios.put("counterThroughputVsSeedApp", Report.round(throughput(babble) / throughput(seed)));
            ratios.put("counterP99VsSeedApp", Report.round(worstP99(babble) / worstP99(seed)));
        }
    }

    void markdown(StringBuilder md, int connections) {
        md.append("## The visit counter against seed 000's Node app\n\n")
                .append("`GET /api/v1/counter` through the gateway, against `GET /counter` of seed 000's own app (Node.js, ")
                .append("Express, Redis INCR; it logs each request to a file, as Babble's gateway does). Closed loop as ")
                .append("`wrk -c").append(connections).append("` makes it: ").append(connections).append(" clients, each ")
                .append("sending its next request when the last is answered, after a warm-up; each run twice. Server CPU ")
                .append("is Babble's processes, or the node process (not Redis).\n\n");
        md.append("| Who | run | requests/s | errors | p50 | p99 | p99.9 | max | server CPU ms per request |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        rows(md, "Babble", babble);
        if (seed.isEmpty()) {
            md.append("\nSeed 000's app was not measured: ").append(seedMissing == null ? "not run" : seedMissing).append(".\n\n");
        } else {
            rows(md, "seed 000 Node app", seed);
            md.append("\nBabble answered **").append(Report.round(throughput(babble) / throughput(seed)))
                    .append("×** the app's requests per second, at ").append(Report.round(worstP99(babble)))
                    .append(" ms p99 against its ").append(Report.round(worstP99(seed))).append(" ms.\n\n");
        }
    }

    void goals(StringBuilder md) {
        if (babble.isEmpty() || seed.isEmpty()) {
            return;
        }
        double factor = mode.equals("all-in-one") ? 3 : 1.5;
        double ratio = throughput(babble) / throughput(seed);
        boolean lowerP99 = worstP99(babble) < worstP99(seed);
        Report.goal(md, "counter ≥ " + factor + "× the seed app's requests/s" + (factor == 3 ? " at a lower p99" : ""),
                Report.round(ratio) + "× (p99 " + Report.round(worstP99(babble)) + " vs " + Report.round(worstP99(seed)) + " ms)",
                ratio >= factor && (factor != 3 || lowerP99));
    }

    private static void rows(StringBuilder md, String who, List<OpenLoop.Result> runs) {
        for (int i = 0; i < runs.size(); i++) {
            Latency l = runs.get(i).latency();
            md.append("| ").append(who).append(" | ").append(i + 1).append(" | ").append(Report.round(runs.get(i).achievedPerSecond()))
                    .append(" | ").append(l.errors()).append(" | ").append(l.p50()).append(" | ").append(l.p99()).append(" | ")
                    .append(l.p999()).append(" | ").append(l.max()).append(" | ").append(runs.get(i).serverCpuMsPerRequest())
                    .append(" |\n");
        }
    }
}
