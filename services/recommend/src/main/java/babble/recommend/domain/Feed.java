package babble.recommend.domain;

import babble.contracts.api.PostList;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.recommend.store.InterestStore;
import babble.recommend.store.RankingStore;
import babble.recommend.store.RankingStore.Source;
import com.github.benmanes.caffeine.cache.Cache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A reader's personal feed: approved posts from the topics they follow, the people they follow and the rooms they
 * are in, without posts of muted topics, hottest first. The first page ranks the top {@code depth} posts once (one
 * query per source, merged here) into a snapshot that later pages are served from, so votes that move posts
 * between page loads never show a post twice. Past a snapshot's end the next one ranks the posts below it, leaving
 * out those already shown; a snapshot is kept a while in a bounded cache, and once it is gone the feed goes on
 * below the last post served (keyset on hot rank and id).
 */
public final class Feed {
    public static final int MAX_PAGE = 100;

    private final Database db;
    private final InterestStore interests;
    private final RankingStore rankings;
    private final PostReader posts;
    private final Cache<UUID, FeedSnapshot> snapshots;
    private final int depth;

    public Feed(Database db, InterestStore interests, RankingStore rankings, PostReader posts,
                Cache<UUID, FeedSnapshot> snapshots, int depth) {
        this.db = db;
        this.interests = interests;
        this.rankings = rankings;
        this.posts = posts;
        this.snapshots = snapshots;
        this.depth = depth;
    }

    public PostList page(Identity caller, int limit, String cursor) {
        UUID userId = caller.requireUser();
        FeedCursor from = FeedCursor.decode(cursor);
        FeedSnapshot snapshot;
        int offset = 0;
        if (from == null) {
            snapshot = rank(userId, null, List.of());
        } else {
            FeedSnapshot cached = snapshots.getIfPresent(from.snapshotId());
            if (cached == null || !cached.userId().equals(userId)) {
                snapshot = rank(userId, from.last(), List.of()); // gone (or not theirs): go on below the last post served
            } else if (from.offset() < cached.size()) {
                snapshot = cached;
                offset = from.offset();
            } else {
                snapshot = rank(userId, from.last(), cached.shownSoFar());
            }
        }
        int end = Math.min(offset + limit, snapshot.size());
        var ids = new ArrayList<UUID>(Math.max(0, end - offset));
        for (int i = offset; i < end; i++) {
            ids.add(snapshot.get(i).id());
        }
        String next = null;
        if (end < snapshot.size()) {
            next = new FeedCursor(snapshot.id(), end, snapshot.get(end - 1)).encode();
        } else if (snapshot.resumeAfter() != null) {
            next = new FeedCursor(snapshot.id(), snapshot.size(), snapshot.resumeAfter()).encode();
        }
        if (next != null) {
            snapshots.put(snapshot.id(), snapshot); // kept for the next page (a used one: kept longer)
        }
        return new PostList(posts.readable(caller, ids), next);
    }

    /**
     * Ranks the reader's top posts below {@code after} (null: from the top), leaving out {@code shownBefore}. Each
     * source gives its {@code depth} hottest; where a source gave all it was asked, it may hold more below its last
     * one, so the snapshot stops there (the next one starts there).
     */
    private FeedSnapshot rank(UUID userId, Ranked after, List<UUID> shownBefore) {
        var merged = new LinkedHashMap<UUID, Ranked>();
        Ranked bound = db.withHandle(h -> {
            Interests in = interests.interests(h, userId);
            Ranked lowestComplete = null;
            for (var source : List.of(Map.entry(Source.TOPICS, in.followedTopics()), Map.entry(Source.PEOPLE, in.people()),
                    Map.entry(Source.ROOMS, in.rooms()))) {
                List<Ranked> hottest = rankings.hottest(h, source.getKey(), source.getValue(), in.mutedTopics(), after, depth);
                hottest.forEach(r -> merged.putIfAbsent(r.id(), r));
                if (hottest.size() >= depth && (lowestComplete == null
                        || Ranked.HOTTEST_FIRST.compare(hottest.getLast(), lowestComplete) < 0)) {
                    lowestComplete = hottest.getLast();
                }
            }
            return lowestComplete;
        });
        var shown = new HashSet<>(shownBefore);
        List<Ranked> candidates = merged.values().stream()
                .filter(r -> !shown.contains(r.id()))
                .filter(r -> bound == null || Ranked.HOTTEST_FIRST.compare(r, bound) <= 0)
                .sorted(Ranked.HOTTEST_FIRST)
                .toList();
        List<Ranked> kept = candidates.subList(0, Math.min(depth, candidates.size()));
        Ranked resumeAfter = candidates.size() > depth ? kept.getLast() : bound;
        return new FeedSnapshot(UUID.randomUUID(), userId, kept, resumeAfter, shownBefore);
    }
}
