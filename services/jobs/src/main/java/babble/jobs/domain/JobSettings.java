package babble.jobs.domain;

import babble.contracts.internal.PostImport;
import babble.platform.config.Config;
import java.time.Duration;

/** The jobs service's settings (README, "Production settings"). */
public record JobSettings(int workers, Duration lease, int maxAttempts, Backoff backoff, Duration sweepEvery,
                          Duration resultTtl, boolean probe, int exportRate, int importRate, int importBatch,
                          long uploadMaxBytes, Duration uploadTtl) {

    public static JobSettings from(Config config) {
        return new JobSettings(
                config.integer("WORKERS", 2, 1, 64),
                config.duration("LEASE", Duration.ofSeconds(10)),
                config.integer("MAX_ATTEMPTS", 3, 1, 20),
                new Backoff(config.duration("RETRY_BASE", Duration.ofSeconds(1)),
                        config.duration("RETRY_MAX", Duration.ofMinutes(1))),
                config.duration("SWEEP_EVERY", Duration.ofSeconds(15)),
                config.duration("RESULT_TTL", Duration.ofDays(7)),
                config.flag("PROBE", false),
                config.integer("EXPORT_RATE", 0, 0, 10_000_000),
                config.integer("IMPORT_RATE", 0, 0, 10_000_000),
                config.integer("IMPORT_BATCH", 500, 1, PostImport.MAX_POSTS),
                config.longValue("IMPORT_MAX_BYTES", 200L * 1024 * 1024, 1024 * 1024, 64L * 1024 * 1024 * 1024),
                config.duration("UPLOAD_TTL", Duration.ofHours(1)));
    }

    /** How long an entry must go untouched before another worker takes it: the lease, and a margin. */
    public Duration reclaimAfter() {
        return lease.plusSeconds(2);
    }
}
