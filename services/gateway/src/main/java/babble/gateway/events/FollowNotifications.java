package babble.gateway.events;

import babble.contracts.events.UserFollowed;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.domain.Frames;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;

/** Tells a user's live sockets (on this gateway) that someone followed them. */
public final class FollowNotifications {
    private final Bus bus;
    private final LiveEndpoint live;

    public FollowNotifications(Bus bus, LiveEndpoint live) {
        this.bus = bus;
        this.live = live;
    }

    public Subscription start() {
        return bus.listen("events." + UserFollowed.TYPE + ".*", event -> {
            var followed = event.dataAs(UserFollowed.class);
            live.notifyUser(followed.followee().id(), Frames.followedBy(followed.follower()));
        });
    }
}
