package babble.platform.client;

import babble.platform.config.Config;
import java.time.Duration;

/**
 * When a caller takes a version of a service out of rotation: {@code failureRatePercent} of the last
 * {@code window} calls failed (once at least {@code minimumCalls} were made), or {@code failuresInARow} failed in
 * a row; and how long before a few calls probe it again. Settings {@code BABBLE_VERSION_EJECT_*}.
 */
public record VersionEjection(int window, int minimumCalls, float failureRatePercent, int failuresInARow,
                              Duration probeAfter) {
    public static final VersionEjection DEFAULT = new VersionEjection(20, 10, 50f, 5, Duration.ofSeconds(10));

    public static VersionEjection from(Config config) {
        int window = config.integer("VERSION_EJECT_WINDOW", DEFAULT.window(), 2, 10_000);
        return new VersionEjection(window,
                config.integer("VERSION_EJECT_MIN_CALLS", DEFAULT.minimumCalls(), 1, window),
                config.integer("VERSION_EJECT_FAILURE_PERCENT", (int) DEFAULT.failureRatePercent(), 1, 100),
                config.integer("VERSION_EJECT_IN_A_ROW", DEFAULT.failuresInARow(), 1, 10_000),
                config.duration("VERSION_EJECT_PROBE_AFTER", DEFAULT.probeAfter()));
    }
}
