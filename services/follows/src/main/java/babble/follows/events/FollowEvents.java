package babble.follows.events;

import babble.contracts.api.UserView;
import babble.contracts.events.UserFollowed;
import babble.contracts.events.UserUnfollowed;
import babble.platform.outbox.Outbox;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** What the follows service tells the others, written to its outbox inside the change's transaction. */
public final class FollowEvents {
    private final Outbox outbox;

    public FollowEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void followed(Handle tx, UserView follower, UserView followee) {
        outbox.add(tx, UserFollowed.TYPE, followee.id().toString(), new UserFollowed(follower, followee));
    }

    public void unfollowed(Handle tx, UUID followerId, UUID followeeId) {
        outbox.add(tx, UserUnfollowed.TYPE, followeeId.toString(), new UserUnfollowed(followerId, followeeId));
    }
}
