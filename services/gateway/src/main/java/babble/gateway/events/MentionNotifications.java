package babble.gateway.events;

import babble.contracts.events.MessageMentioned;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.domain.Frames;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;

/**
 * Tells mentioned users' live sockets (on this gateway) that a message names them. Only mention events are heard
 * (their own subject), not every message of every room.
 */
public final class MentionNotifications {
    private final Bus bus;
    private final LiveEndpoint live;

    public MentionNotifications(Bus bus, LiveEndpoint live) {
        this.bus = bus;
        this.live = live;
    }

    public Subscription start() {
        return bus.listen("events." + MessageMentioned.TYPE + ".*", event -> {
            var mentioned = event.dataAs(MessageMentioned.class);
            String frame = Frames.mentionedBy(mentioned.roomId(), mentioned.seq(), mentioned.by());
            mentioned.userIds().forEach(user -> live.notifyUser(user, frame));
        });
    }
}
