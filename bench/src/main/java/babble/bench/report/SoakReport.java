package babble.bench.report;

import babble.bench.OpenLoop;
import babble.bench.scenarios.Soak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code ./babble bench --soak}: the run's readings each interval, as a table, plots and a JSON summary. */
public final class SoakReport {
    private SoakReport() {
    }

    /** Writes {@code <date>-<mode>-soak[-short].{md,json}} and its plots; answers the Markdown file. */
    public static Path write(Path dir, String mode, String commit, Soak.Result soak) throws IOException {
        String name = LocalDate.now(ZoneOffset.UTC) + "-" + mode + "-soak"
                + (soak.duration().toMinutes() < 10 ? "-" + soak.duration().toSeconds() + "s" : "");
        var samples = soak.samples();

        var figures = new LinkedHashMap<String, Object>();
        figures.put("seconds", soak.duration().toSeconds());
        figures.put("intervalSeconds", soak.interval().toSeconds());
        figures.put("capacityPostsPerSecond", soak.capacityPerSecond());
        figures.put("ratePerSecond", soak.ratePerSecond());
        figures.put("acknowledgedMessages", soak.acknowledgedMessages());
        figures.put("sockets", soak.sockets());
        figures.put("expectedDeliveries", soak.expectedDeliveries());
        figures.put("missingDeliveries", soak.missingDeliveries());
        figures.put("duplicateDeliveries", soak.duplicateDeliveries());
        figures.put("socketsClosed", soak.socketsClosed());
        figures.put("processes", soak.processesAtEnd());
        figures.put("processesRestarted", Math.max(0, soak.processesSeen() - soak.processesAtEnd()));
        figures.put("samples", samples.stream().map(s -> Map.of("atSeconds", round(s.atSeconds()),
                "achievedPerSecond", round(s.achievedPerSecond()), "requests", s.latency().count(),
                "errors", s.latency().errors(), "p50Ms", s.latency().p50(), "p99Ms", s.latency().p99(),
                "rssMiB", round(s.reading().rssMiB()), "heapAfterGcMiB", round(s.reading().heapAfterGcMiB()),
                "threads", s.reading().threads(), "fileDescriptors", s.reading().fileDescriptors())).toList());
        figures.put("databaseConnections", samples.stream().map(Soak.Sample::databaseConnections).toList());
        figures.put("growth", soak.growth());
        figures.put("failures", soak.failures());
        Summaries.writeJson(dir.resolve(name + ".json"), mode, commit, Map.of("soak", figures));

        String memory = plot(dir, name + "-memory.png", "Memory over the run", "MiB", samples,
                Map.of("resident memory", s -> s.reading().rssMiB(), "heap after a full GC", s -> s.reading().heapAfterGcMiB()));
        var counts = new LinkedHashMap<String, ToDoubleFunction<Soak.Sample>>();
        counts.put("threads", s -> s.reading().threads());
        counts.put("file descriptors", s -> s.reading().fileDescriptors());
        if (samples.getFirst().databaseConnections() >= 0) {
            counts.put("database connections", Soak.Sample::databaseConnections);
        }
        String resources = plot(dir, name + "-resources.png", "Threads, descriptors, connections", "count", samples, counts);
        var latency = new LinkedHashMap<String, ToDoubleFunction<Soak.Sample>>();
        latency.put("p50", s -> s.latency().p50());
        latency.put("p99", s -> s.latency().p99());
        String latencies = plot(dir, name + "-latency.png", "Latency of the mixed load each interval", "ms", samples, latency);

        var md = new StringBuilder("# Babble soak: ").append(mode).append(", ").append(soak.duration().toSeconds())
                .append(" s\n\n").append(Summaries.commitAndMachine(commit))
                .append(" The load generator shares the machine.\n\n");
        md.append(soak.failures().isEmpty() ? "**Passed**: no error, nothing lost, no growth beyond noise.\n\n"
                : "**Failed**:\n\n" + String.join("\n", soak.failures().stream().map(f -> "- " + f).toList()) + "\n\n");
        md.append("## Load\n\nCapacity measured first: chat posts at rising rates (the highest taken in full, without errors, "
                + "at a p99 under a second; the probe stops at the first that is not):\n\n| offered/s | achieved/s | p99 ms | errors |\n|---:|---:|---:|---:|\n");
        for (OpenLoop.Result r : soak.capacityProbe()) {
            md.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.1f | %d |%n", r.offeredPerSecond(),
                    r.achievedPerSecond(), r.latency().p99(), r.latency().errors()));
        }
        md.append(String.format(Locale.ROOT, "%nCapacity %.0f/s; the soak ran at half of it, **%.0f requests/s**: half "
                + "chat posts, a quarter history reads, the rest posts, comments, follows, hot listings and `!quote`, while "
                + "%d live sockets (two per room) received every room's messages. The first 30 s of it were not measured "
                + "(settling after the saturating step).%n%n", soak.capacityPerSecond(),
                soak.ratePerSecond(), soak.sockets()));
        md.append(String.format(Locale.ROOT, "Messages acknowledged: %d; deliveries expected %d, missing %d, twice %d; "
                + "sockets closed by the server: %d; processes %d, restarted %d.%n%n", soak.acknowledgedMessages(),
                soak.expectedDeliveries(), soak.missingDeliveries(), soak.duplicateDeliveries(), soak.socketsClosed(),
                soak.processesAtEnd(), Math.max(0, soak.processesSeen() - soak.processesAtEnd())));
        md.append("## Each interval\n\nRead at the end of each interval, over every process of the deployment together "
                + "(heap after a full collection, asked of each JVM over JMX).\n\n"
                + "| at s | achieved/s | requests | errors | p50 ms | p99 ms | RSS MiB | heap after GC MiB | threads | FDs | DB conns |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Soak.Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %.0f | %.0f | %d | %d | %.1f | %.1f | %.0f | %.1f | %d | %d | %s |%n",
                    s.atSeconds(), s.achievedPerSecond(), s.latency().count(), s.latency().errors(), s.latency().p50(),
                    s.latency().p99(), s.reading().rssMiB(), s.reading().heapAfterGcMiB(), s.reading().threads(),
                    s.reading().fileDescriptors(), s.databaseConnections() < 0 ? "— (embedded)" : s.databaseConnections()));
        }
        md.append("\n## Growth\n\nThe median of the last third of the intervals against the first third's (the first "
                + "interval left out): a leak keeps growing; a cache or a heap sizing itself stops.\n\n"
                + "| resource | first third | last third | allowed | |\n|---|---:|---:|---:|---|\n");
        for (Soak.Growth g : soak.growth()) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %s |%n", g.what(), g.first(), g.last(),
                    g.allowed(), g.ok() ? "ok" : g.judged() ? "**grew**" : "grew (reported only: a short run)"));
        }
        md.append("\n![memory](").append(memory).append(")\n![resources](").append(resources).append(")\n![latency](")
                .append(latencies).append(")\n");
        Path file = dir.resolve(name + ".md");
        Files.writeString(file, md.toString());
        return file;
    }

    private static String plot(Path dir, String file, String title, String unit, List<Soak.Sample> samples,
                               Map<String, ToDoubleFunction<Soak.Sample>> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle("seconds into the run")
                .yAxisTitle(unit).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        double[] xs = samples.stream().mapToDouble(Soak.Sample::atSeconds).toArray();
        series.forEach((name, value) -> chart.addSeries(name, xs, samples.stream().mapToDouble(value).toArray())
                .setMarker(SeriesMarkers.CIRCLE));
        BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
