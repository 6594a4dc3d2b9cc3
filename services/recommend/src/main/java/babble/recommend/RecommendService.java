package babble.recommend;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.recommend.api.QueryClient;
import babble.recommend.api.RecommendApi;
import babble.recommend.domain.Feed;
import babble.recommend.domain.FeedSnapshot;
import babble.recommend.domain.TopicListings;
import babble.recommend.events.InterestsConsumer;
import babble.recommend.events.PostsConsumer;
import babble.recommend.store.InterestStore;
import babble.recommend.store.PostStore;
import babble.recommend.store.RankingStore;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.UUID;

/**
 * Seed 004's recommend service: topic listings and the personal feed, ranked by Reddit's hot rank, stored and kept
 * up to date as votes arrive. Its model is built only from events (posts, moderation, rooms, follows, topic
 * preferences), each stream read from the beginning; the posts themselves are read from the query service, one
 * call per page, as the caller sees them.
 */
public final class RecommendService implements Service {

    @Override
    public String name() {
        return "recommend";
    }

    @Override
    public void start(Chassis chassis) {
        var config = RecommendConfig.from(chassis.config());
        var db = chassis.database();
        var posts = new PostsConsumer(new PostStore());
        var interestStore = new InterestStore();
        var interests = new InterestsConsumer(interestStore);
        chassis.consume("posts", "events.post.>", posts::apply);
        chassis.consume("moderation", "events.moderation.>", posts::apply);
        chassis.consume("rooms", "events.room.>", interests::apply);
        chassis.consume("follows", "events.user.>", interests::apply);
        chassis.consume("topics", "events.tags.>", interests::apply);

        var reader = new QueryClient(chassis.client("query"));
        var rankings = new RankingStore();
        // Bounded by the posts held: FEED_SNAPSHOTS snapshots of a full depth.
        Cache<UUID, FeedSnapshot> snapshots = Caffeine.newBuilder()
                .maximumWeight((long) config.snapshots() * config.feedDepth())
                .weigher((UUID id, FeedSnapshot snapshot) -> snapshot.weight())
                .expireAfterAccess(config.snapshotTtl()).build();
        var feed = new Feed(db, interestStore, rankings, reader, snapshots, config.feedDepth());
        var topics = new TopicListings(db, rankings, reader);
        chassis.http(routes -> new RecommendApi(topics, feed).register(routes));
    }
}
