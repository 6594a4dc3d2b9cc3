package babble.bench.report;

import babble.bench.OpenLoop;
import babble.bench.scenarios.Live;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots (XChart): latency percentiles against offered rate; deliveries against sockets. */
final class Charts {
    private Charts() {
    }

    static String latencyByRate(Path dir, String file, List<OpenLoop.Result> posts, List<OpenLoop.Result> hello) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Post latency vs offered rate (open loop)")
                .xAxisTitle("offered requests per second").yAxisTitle("latency, ms (log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        series(chart, "post p50", posts, r -> r.latency().p50());
        series(chart, "post p99", posts, r -> r.latency().p99());
        series(chart, "post p99.9", posts, r -> r.latency().p999());
        series(chart, "hello p50 (baseline)", hello, r -> r.latency().p50());
        series(chart, "hello p99 (baseline)", hello, r -> r.latency().p99());
        BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    static String deliveriesBySockets(Path dir, String file, List<Live.FanOut> babble, List<Live.FanOut> bare) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Fan-out: deliveries per second vs sockets")
                .xAxisTitle("live sockets (rooms × sockets per room)").yAxisTitle("per second").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        fan(chart, "Babble deliveries/s", babble, Live.FanOut::deliveriesPerSecond);
        fan(chart, "Babble per server CPU-second", babble, Live.FanOut::deliveriesPerCpuSecond);
        fan(chart, "bare broadcast deliveries/s", bare, Live.FanOut::deliveriesPerSecond);
        fan(chart, "bare per server CPU-second", bare, Live.FanOut::deliveriesPerCpuSecond);
        BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static void series(XYChart chart, String name, List<OpenLoop.Result> results,
                               java.util.function.ToDoubleFunction<OpenLoop.Result> y) {
        if (results.isEmpty()) {
            return;
        }
        double[] xs = results.stream().mapToDouble(OpenLoop.Result::offeredPerSecond).toArray();
        double[] ys = results.stream().mapToDouble(r -> Math.max(0.001, y.applyAsDouble(r))).toArray();
        chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }

    private static void fan(XYChart chart, String name, List<Live.FanOut> results,
                            java.util.function.ToDoubleFunction<Live.FanOut> y) {
        if (results.isEmpty()) {
            return;
        }
        double[] xs = results.stream().mapToDouble(f -> f.rooms() * f.socketsPerRoom()).toArray();
        double[] ys = results.stream().mapToDouble(y).toArray();
        chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }
}
