package babble.follows.domain;

import babble.contracts.api.UserPage;
import babble.contracts.api.UserView;
import babble.follows.events.FollowEvents;
import babble.follows.store.FollowStore;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The rules of following: only you change whom you follow; following yourself is not allowed; following twice
 * or unfollowing someone you do not follow changes nothing.
 */
public final class Follows {
    private final Database db;
    private final FollowStore store;
    private final People people;
    private final FollowEvents events;
    private final Clock clock;

    public Follows(Database db, FollowStore store, People people, FollowEvents events, Clock clock) {
        this.db = db;
        this.store = store;
        this.people = people;
        this.events = events;
        this.clock = clock;
    }

    public void follow(Identity caller, UUID followerId, UUID targetId) {
        requireSelf(caller, followerId);
        if (followerId.equals(targetId)) {
            throw new InvalidField("targetId", "you cannot follow yourself");
        }
        UserView followee = people.require(targetId);
        UserView follower = people.require(followerId);
        db.useTransaction(tx -> {
            if (store.add(tx, followerId, targetId, clock.instant())) {
                events.followed(tx, follower, followee);
            }
        });
    }

    public void unfollow(Identity caller, UUID followerId, UUID targetId) {
        requireSelf(caller, followerId);
        db.useTransaction(tx -> {
            if (store.remove(tx, followerId, targetId)) {
                events.unfollowed(tx, followerId, targetId);
            }
        });
    }

    public boolean isFollowing(UUID followerId, UUID targetId) {
        people.require(followerId);
        people.require(targetId);
        return db.withHandle(h -> store.exists(h, followerId, targetId));
    }

    public UserPage followers(UUID userId, int limit, String cursor) {
        people.require(userId);
        return page(db.withHandle(h -> store.followers(h, userId, PageCursor.decode(cursor), limit + 1)), limit);
    }

    public UserPage following(UUID userId, int limit, String cursor) {
        people.require(userId);
        return page(db.withHandle(h -> store.following(h, userId, PageCursor.decode(cursor), limit + 1)), limit);
    }

    private static UserPage page(List<FollowStore.Entry> rows, int limit) {
        boolean more = rows.size() > limit;
        List<FollowStore.Entry> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? PageCursor.encode(shown.getLast().at(), shown.getLast().user().id()) : null;
        return new UserPage(shown.stream().map(FollowStore.Entry::user).toList(), next);
    }

    private static void requireSelf(Identity caller, UUID followerId) {
        if (!caller.requireUser().equals(followerId)) {
            throw new Forbidden("you can only change whom you follow yourself");
        }
    }
}
