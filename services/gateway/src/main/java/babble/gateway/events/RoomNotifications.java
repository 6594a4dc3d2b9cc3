package babble.gateway.events;

import babble.contracts.events.DirectRoomOpened;
import babble.contracts.events.MemberInvited;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.domain.Frames;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;
import java.util.List;

/**
 * Tells a user's live sockets (on this gateway) that someone invited them into a room, or opened a direct room
 * with them: rooms they would otherwise not know of until they reload.
 */
public final class RoomNotifications {
    private final Bus bus;
    private final LiveEndpoint live;

    public RoomNotifications(Bus bus, LiveEndpoint live) {
        this.bus = bus;
        this.live = live;
    }

    public AutoCloseable start() {
        List<Subscription> subscriptions = List.of(
                bus.listen("events." + MemberInvited.TYPE + ".*", event -> {
                    var invited = event.dataAs(MemberInvited.class);
                    live.notifyUser(invited.userId(), Frames.invitedBy(invited.roomId(), invited.roomName(), invited.by()));
                }),
                bus.listen("events." + DirectRoomOpened.TYPE + ".*", event -> {
                    var opened = event.dataAs(DirectRoomOpened.class);
                    live.notifyUser(opened.userId(), Frames.directRoomBy(opened.room(), opened.by()));
                }));
        return () -> subscriptions.forEach(Subscription::close);
    }
}
