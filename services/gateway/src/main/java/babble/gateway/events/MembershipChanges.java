package babble.gateway.events;

import babble.contracts.events.MemberLeft;
import babble.gateway.domain.Fanout;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;

/** Listens for members leaving rooms, so their live sockets stop getting those rooms' messages at once. */
public final class MembershipChanges {
    private final Bus bus;
    private final Fanout fanout;

    public MembershipChanges(Bus bus, Fanout fanout) {
        this.bus = bus;
        this.fanout = fanout;
    }

    public Subscription start() {
        return bus.listen("events." + MemberLeft.TYPE + ".*", event -> {
            var left = event.dataAs(MemberLeft.class);
            fanout.memberLeft(left.roomId(), left.userId());
        });
    }
}
