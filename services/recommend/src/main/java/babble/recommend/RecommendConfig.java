package babble.recommend;

import babble.platform.config.Config;
import java.time.Duration;

/**
 * The recommend service's settings: how many posts one feed snapshot ranks ({@code FEED_DEPTH}), how long an
 * unused snapshot is kept ({@code FEED_SNAPSHOT_TTL}) and how many are kept at most ({@code FEED_SNAPSHOTS}, about
 * 24 bytes a ranked post each).
 */
public record RecommendConfig(int feedDepth, Duration snapshotTtl, int snapshots) {

    public static RecommendConfig from(Config config) {
        return new RecommendConfig(
                config.integer("FEED_DEPTH", 500, 10, 5_000),
                config.duration("FEED_SNAPSHOT_TTL", Duration.ofMinutes(10)),
                config.integer("FEED_SNAPSHOTS", 1_000, 1, 1_000_000));
    }
}
