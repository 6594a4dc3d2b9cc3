package babble.search;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.bus.Bus;
import babble.platform.consumer.Replay;
import babble.search.api.QueryClient;
import babble.search.api.RoomsClient;
import babble.search.api.SearchApi;
import babble.search.domain.Highlights;
import babble.search.domain.Indexing;
import babble.search.domain.Memberships;
import babble.search.domain.SearchSettings;
import babble.search.domain.SearchSyntax;
import babble.search.domain.Searches;
import babble.search.domain.SimilarPosts;
import babble.search.events.IndexFeed;
import babble.search.store.SearchIndex;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * Seed 004's search service: a Lucene index of approved posts and comments and of chat messages, on local disk,
 * fed by the post, moderation and message streams and rebuilt by replaying them when its directory is new (it is
 * not ready until caught up). It needs no database: item states live in the index itself.
 *
 * <p>A rebuild finds only the chat messages the message stream still holds: older than its retention
 * ({@code BABBLE_BUS_RETENTION}, 7 days by default), they are gone unless {@code message} is in
 * {@code BABBLE_BUS_PERMANENT_STREAMS}.
 */
public final class SearchService implements Service {
    /** The streams the index is built from: stream → subjects. */
    private static final Map<String, String> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("post", "events.post.>");
        SOURCES.put("moderation", "events.moderation.>");
        SOURCES.put("message", "events.message.>");
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public void start(Chassis chassis) {
        var settings = SearchSettings.from(chassis.config());
        var analyzer = new EnglishAnalyzer();
        var index = SearchIndex.open(settings.indexDir(), analyzer);
        chassis.onStop(index);
        Replay replay;
        if (index.isNew()) {
            var stored = new LinkedHashMap<String, Long>();
            SOURCES.forEach((stream, subjects) -> {
                chassis.resetConsumer(settings.consumer(stream), subjects);
                stored.put(stream, chassis.bus().storedEvents(stream));
            });
            replay = Replay.of(name(), "the search index " + settings.indexDir(), stored);
        } else {
            replay = Replay.none(name(), "the search index", SOURCES.keySet());
        }
        replay.register(chassis.meters());
        chassis.health().check("index-caught-up", replay::caughtUp);
        chassis.health().check("index-writable", index::isWritable);
        chassis.every("replay-progress", Duration.ofSeconds(2), replay::report);
        Gauge.builder("babble.search.index.documents", index, SearchIndex::documents)
                .description("documents in the search index, hidden items' states included").register(chassis.meters());

        var feed = new IndexFeed(index, new Indexing(), replay::caughtUp, chassis.meters());
        SOURCES.forEach((stream, subjects) -> chassis.consumeStateless(settings.consumer(stream), subjects,
                Bus.StartFrom.BEGINNING, replay.counting(stream, feed)));

        var memberships = new Memberships(new RoomsClient(chassis.client("rooms")), Duration.ofSeconds(60), 100_000);
        chassis.onStop(chassis.bus().listen("events.room.>", memberships::onRoomEvent));
        var searches = new Searches(index, new SearchSyntax(analyzer), new Highlights(analyzer), memberships);
        var similar = new SimilarPosts(index, analyzer, new QueryClient(chassis.client("query")));
        chassis.http(routes -> new SearchApi(searches, similar).register(routes));
    }
}
