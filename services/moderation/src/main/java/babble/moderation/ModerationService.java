package babble.moderation;

import babble.moderation.api.ModerationApi;
import babble.moderation.api.RoomsClient;
import babble.moderation.domain.Moderation;
import babble.moderation.domain.WordRules;
import babble.moderation.events.ModerationEvents;
import babble.moderation.events.PostEventsConsumer;
import babble.moderation.store.ModerationStore;
import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.config.ConfigException;
import babble.platform.problem.InvalidField;
import java.util.List;

/**
 * Seed 002's moderation service: decides every new post and comment from events (asynchronously, once), keeps
 * each room's rules, the owner's review queue and an audit history of every decision.
 */
public final class ModerationService implements Service {

    @Override
    public String name() {
        return "moderation";
    }

    @Override
    public void start(Chassis chassis) {
        var moderation = new Moderation(chassis.database(), new ModerationStore(), new ModerationEvents(chassis.outbox()),
                new RoomsClient(chassis.client("rooms")), globalWords(chassis), chassis.clock());
        chassis.http(routes -> new ModerationApi(moderation).register(routes));
        chassis.consume("decide", "events.post.>", new PostEventsConsumer(moderation)::apply);
    }

    /** {@code BABBLE_MODERATION_BLOCKED_WORDS}: the global list, comma-separated (default: seed 002's "orange"). */
    private static WordRules globalWords(Chassis chassis) {
        String name = chassis.config().nameOf("BLOCKED_WORDS");
        try {
            return WordRules.of(name, chassis.config().list("BLOCKED_WORDS", List.of("orange")));
        } catch (InvalidField e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
    }
}
