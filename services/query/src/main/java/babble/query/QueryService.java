package babble.query;

import babble.query.api.QueryApi;
import babble.query.api.RoomsClient;
import babble.query.domain.ReadModel;
import babble.query.domain.Reads;
import babble.query.store.ReadModelStore;
import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.consumer.Replay;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed 002's query service: the read model of posts and comments (score, comment count, moderation status),
 * built only from the post, moderation and room streams, never by calling the posts service. When its store is
 * empty (new, deleted, or cleared by a migration that changes the model) it replays the streams from the start
 * and is not ready until it has caught up.
 */
public final class QueryService implements Service {
    /** The consumers of the model, each reading one stream: consumer name → subjects. */
    private static final Map<String, String> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("post", "events.post.>");
        SOURCES.put("moderation", "events.moderation.>");
        SOURCES.put("room", "events.room.>");
    }

    private static final String BUILT = "built-at";

    @Override
    public String name() {
        return "query";
    }

    @Override
    public void start(Chassis chassis) {
        var db = chassis.database();
        var store = new ReadModelStore();
        Replay replay;
        if (db.withHandle(h -> store.setting(h, BUILT)).isEmpty()) {
            var stored = new LinkedHashMap<String, Long>();
            SOURCES.forEach((stream, subjects) -> {
                chassis.resetConsumer("read-model-" + stream, subjects);
                stored.put(stream, chassis.bus().storedEvents(stream));
            });
            db.useTransaction(tx -> store.putSetting(tx, BUILT, Instant.now().toString()));
            replay = Replay.of(name(), "the read model", stored);
        } else {
            replay = Replay.none(name(), "the read model", SOURCES.keySet());
        }
        replay.register(chassis.meters());
        chassis.health().check("read-model-caught-up", replay::caughtUp);
        chassis.every("replay-progress", Duration.ofSeconds(2), replay::report);

        var model = new ReadModel(store);
        SOURCES.forEach((stream, subjects) ->
                chassis.consume("read-model-" + stream, subjects, replay.counting(stream, model::apply)));
        chassis.http(routes -> new QueryApi(new Reads(db, store, new RoomsClient(chassis.client("rooms")))).register(routes));
    }
}
