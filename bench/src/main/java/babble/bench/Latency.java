package babble.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Percentiles of one measurement, in milliseconds, with how many samples and errors they came from. */
public record Latency(long count, long errors, double p50, double p90, double p99, double p999, double max, double mean) {

    public static Latency of(Histogram histogram, long errors) {
        if (histogram.getTotalCount() == 0) {
            return new Latency(0, errors, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(histogram.getTotalCount(), errors,
                ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(99)), ms(histogram.getValueAtPercentile(99.9)),
                ms(histogram.getMaxValue()), histogram.getMean() / 1e6);
    }

    /** A histogram of nanoseconds from 1 µs to 60 s at 3 significant digits. */
    public static Histogram histogram() {
        return new Histogram(1_000, 60_000_000_000L, 3);
    }

    /** The same range, for latencies recorded from many threads at once. */
    public static Recorder recorder() {
        return new Recorder(1_000, 60_000_000_000L, 3);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
