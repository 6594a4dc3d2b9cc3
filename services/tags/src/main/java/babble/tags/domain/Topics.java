package babble.tags.domain;

import babble.contracts.api.TopicPreferences;
import babble.contracts.events.TopicsChanged;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.problem.BadRequest;
import babble.platform.problem.InvalidField;
import babble.tags.events.TagEvents;
import babble.tags.store.TopicStore;
import java.util.HashSet;
import java.util.UUID;

/**
 * The rules of topic preferences: a user follows and mutes tags (at most 100 of each, never the same tag both
 * ways); a change replaces the whole set and is announced with the user's next version, unless it changes nothing.
 */
public final class Topics {
    public static final int MAX_PER_LIST = 100;

    private final Database db;
    private final TopicStore store;
    private final TagEvents events;

    public Topics(Database db, TopicStore store, TagEvents events) {
        this.db = db;
        this.store = store;
        this.events = events;
    }

    public TopicPreferences get(Identity caller) {
        UUID userId = caller.requireUser();
        return db.withHandle(h -> store.preferences(h, userId));
    }

    public TopicPreferences replace(Identity caller, TopicPreferences request) {
        UUID userId = caller.requireUser();
        if (request == null) {
            throw new BadRequest("the request body must be a JSON object");
        }
        var wanted = new TopicPreferences(TagRule.tags("follow", request.follow(), MAX_PER_LIST),
                TagRule.tags("mute", request.mute(), MAX_PER_LIST));
        var both = new HashSet<>(wanted.follow());
        both.retainAll(wanted.mute());
        if (!both.isEmpty()) {
            throw new InvalidField("mute", "a tag cannot be both followed and muted: " + both.iterator().next());
        }
        return db.inTransaction(tx -> {
            long version = store.lockVersion(tx, userId);
            if (store.preferences(tx, userId).equals(wanted)) {
                return wanted;
            }
            store.replace(tx, userId, wanted);
            store.setVersion(tx, userId, version + 1);
            events.topicsChanged(tx, new TopicsChanged(userId, wanted.follow(), wanted.mute(), version + 1));
            return wanted;
        });
    }
}
