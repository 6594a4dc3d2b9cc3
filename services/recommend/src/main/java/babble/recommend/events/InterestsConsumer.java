package babble.recommend.events;

import babble.contracts.events.MemberJoined;
import babble.contracts.events.MemberLeft;
import babble.contracts.events.TopicsChanged;
import babble.contracts.events.UserFollowed;
import babble.contracts.events.UserUnfollowed;
import babble.platform.bus.Event;
import babble.recommend.domain.TagRule;
import babble.recommend.store.InterestStore;
import java.util.List;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Keeps what readers are interested in from the room, user and tags streams: memberships (newest room version
 * wins), follows (in the order the follows service published them), topic preferences (newest version wins).
 */
public final class InterestsConsumer {
    private final InterestStore store;

    public InterestsConsumer(InterestStore store) {
        this.store = store;
    }

    public void apply(Event event, Handle tx) {
        switch (event.type()) {
            case MemberJoined.TYPE -> {
                var joined = event.dataAs(MemberJoined.class);
                store.membership(tx, joined.roomId(), joined.user().id(), true, joined.version(), event.occurredAt());
            }
            case MemberLeft.TYPE -> {
                var left = event.dataAs(MemberLeft.class);
                store.membership(tx, left.roomId(), left.userId(), false, left.version(), event.occurredAt());
            }
            case UserFollowed.TYPE -> {
                var followed = event.dataAs(UserFollowed.class);
                store.follow(tx, followed.follower().id(), followed.followee().id(), event.occurredAt());
            }
            case UserUnfollowed.TYPE -> {
                var unfollowed = event.dataAs(UserUnfollowed.class);
                store.unfollow(tx, unfollowed.followerId(), unfollowed.followeeId());
            }
            case TopicsChanged.TYPE -> topicsChanged(tx, event.dataAs(TopicsChanged.class));
            default -> {
                // other events of these streams say nothing about interests
            }
        }
    }

    private void topicsChanged(Handle tx, TopicsChanged change) {
        if (store.lockTopicsVersion(tx, change.userId()) >= change.version()) {
            return; // a newer change is already applied
        }
        var follow = valid(change.follow());
        var mute = valid(change.mute());
        follow.removeAll(mute); // the tags service never sends a tag both ways; muting wins if one ever did
        store.replaceTopics(tx, change.userId(), follow, mute, change.version());
    }

    private static TreeSet<String> valid(List<String> tags) {
        var valid = new TreeSet<String>();
        if (tags != null) {
            tags.forEach(t -> TagRule.normalised(t).ifPresent(valid::add));
        }
        return valid;
    }
}
