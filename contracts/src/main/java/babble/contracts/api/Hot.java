package babble.contracts.api;

import java.time.Instant;

/**
 * Reddit's published "hot" rank (API.md): {@code sign(s)·log10(max(|s|,1)) + (t − 1134028003)/45000}, the order of
 * magnitude of the score plus a bonus for being new (45,000 s ≈ 12.5 h per step). Part of the public contract, so
 * every service that orders posts by hot (query, recommend) ranks them alike.
 */
public final class Hot {
    private static final long EPOCH = 1_134_028_003L; // 2005-12-08T07:46:43Z, Reddit's own

    private Hot() {
    }

    public static double rank(long score, Instant createdAt) {
        double order = Math.log10(Math.max(Math.abs(score), 1));
        double sign = Long.signum(score);
        double seconds = createdAt.getEpochSecond() - EPOCH + createdAt.getNano() / 1e9;
        return sign * order + seconds / 45_000;
    }
}
