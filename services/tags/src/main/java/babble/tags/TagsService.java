package babble.tags;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.tags.api.QueryClient;
import babble.tags.api.TagsApi;
import babble.tags.domain.Labels;
import babble.tags.domain.Topics;
import babble.tags.events.TagEvents;
import babble.tags.store.LabelStore;
import babble.tags.store.TopicStore;

/**
 * Seed 004's tags service: topic preferences (follow, mute) and private labels on posts (seed 004's tagging), each
 * change announced on the {@code tags} stream; whether a post may be labelled is asked of the query service.
 */
public final class TagsService implements Service {

    @Override
    public String name() {
        return "tags";
    }

    @Override
    public void start(Chassis chassis) {
        var db = chassis.database();
        var events = new TagEvents(chassis.outbox());
        var topics = new Topics(db, new TopicStore(), events);
        var labels = new Labels(db, new LabelStore(), new QueryClient(chassis.client("query")), events, chassis.clock());
        chassis.http(routes -> new TagsApi(topics, labels).register(routes));
    }
}
