package babble.recommend.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One reader's feed ranked at one moment: post ids hottest first, held in flat arrays (about 24 bytes a post) so a
 * bounded cache of them stays small. When more posts lie below the last one, {@code resumeAfter} is where the next
 * snapshot starts, and {@code shownBefore} lists the posts of the earlier snapshots of the same reading (the newest
 * {@link #MAX_SHOWN_BEFORE}), so that a post votes moved down is not shown again.
 */
public final class FeedSnapshot {
    public static final int MAX_SHOWN_BEFORE = 10_000;

    private final UUID id;
    private final UUID userId;
    private final long[] high;
    private final long[] low;
    private final double[] hot;
    private final Ranked resumeAfter;
    private final long[] shownHigh;
    private final long[] shownLow;

    public FeedSnapshot(UUID id, UUID userId, List<Ranked> ranked, Ranked resumeAfter, List<UUID> shownBefore) {
        this.id = id;
        this.userId = userId;
        this.resumeAfter = resumeAfter;
        int n = ranked.size();
        high = new long[n];
        low = new long[n];
        hot = new double[n];
        for (int i = 0; i < n; i++) {
            Ranked r = ranked.get(i);
            high[i] = r.id().getMostSignificantBits();
            low[i] = r.id().getLeastSignificantBits();
            hot[i] = r.hot();
        }
        var kept = shownBefore.subList(Math.max(0, shownBefore.size() - MAX_SHOWN_BEFORE), shownBefore.size());
        shownHigh = kept.stream().mapToLong(UUID::getMostSignificantBits).toArray();
        shownLow = kept.stream().mapToLong(UUID::getLeastSignificantBits).toArray();
    }

    public UUID id() {
        return id;
    }

    public UUID userId() {
        return userId;
    }

    public int size() {
        return hot.length;
    }

    public Ranked get(int index) {
        return new Ranked(new UUID(high[index], low[index]), hot[index]);
    }

    /** Where the next snapshot of this reading starts; null when nothing lies below. */
    public Ranked resumeAfter() {
        return resumeAfter;
    }

    /** The posts of this reading so far, oldest first: the earlier snapshots' and this one's. */
    public List<UUID> shownSoFar() {
        var ids = new ArrayList<UUID>(shownHigh.length + high.length);
        for (int i = 0; i < shownHigh.length; i++) {
            ids.add(new UUID(shownHigh[i], shownLow[i]));
        }
        for (int i = 0; i < high.length; i++) {
            ids.add(new UUID(high[i], low[i]));
        }
        return ids;
    }

    /** The cache weight: posts held, ranked and remembered (at least 1). */
    public int weight() {
        return 1 + hot.length + shownHigh.length;
    }
}
