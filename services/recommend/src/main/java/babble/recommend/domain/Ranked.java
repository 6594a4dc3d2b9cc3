package babble.recommend.domain;

import java.util.Comparator;
import java.util.UUID;

/** A post's place in a hot ranking: its hot rank, and its id to break ties. */
public record Ranked(UUID id, double hot) {
    /**
     * Hottest first, then the greater id, comparing ids as unsigned bytes like both databases do, so a ranking merged
     * here continues exactly where a keyset read from the database would.
     */
    public static final Comparator<Ranked> HOTTEST_FIRST = Comparator.comparingDouble(Ranked::hot).reversed()
            .thenComparing(Ranked::id, Ranked::compareUnsigned);

    private static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(b.getMostSignificantBits(), a.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(b.getLeastSignificantBits(), a.getLeastSignificantBits());
    }
}
