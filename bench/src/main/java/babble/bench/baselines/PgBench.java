package babble.bench.baselines;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL's own benchmark (TPC-B-like) on a scratch database: what the server does on this machine today. */
public final class PgBench {
    private PgBench() {
    }

    public record Result(double tps, double latencyAverageMs, String note) {
    }

    public static Result run(String host, int port, int seconds) {
        String db = "babble_pgbench_scratch";
        try {
            run(List.of("dropdb", "-h", host, "-p", Integer.toString(port), "-U", "postgres", "--if-exists", db));
            run(List.of("createdb", "-h", host, "-p", Integer.toString(port), "-U", "postgres", db));
            run(List.of("pgbench", "-h", host, "-p", Integer.toString(port), "-U", "postgres", "-i", "-q", "-s", "1", db));
            String out = run(List.of("pgbench", "-h", host, "-p", Integer.toString(port), "-U", "postgres",
                    "-c", "4", "-j", "2", "-T", Integer.toString(seconds), db));
            run(List.of("dropdb", "-h", host, "-p", Integer.toString(port), "-U", "postgres", "--if-exists", db));
            return new Result(number(out, "tps = ([0-9.]+)"), number(out, "latency average = ([0-9.]+) ms"),
                    "pgbench -c 4 -j 2 -T " + seconds + " (TPC-B-like, scale 1)");
        } catch (IOException | InterruptedException | RuntimeException e) {
            return new Result(0, 0, "pgbench not available: " + e.getMessage());
        }
    }

    private static double number(String text, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out.strip());
        }
        return out;
    }
}
