package babble.gateway.events;

import babble.contracts.api.RoomView;
import babble.contracts.internal.UserRooms;
import babble.gateway.domain.Fanout;
import babble.gateway.domain.Frames;
import babble.gateway.domain.Presence;
import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.Subscription;
import babble.platform.client.ServiceClient;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Presence on the wire. The gateway that sees a user come online or go offline reads the user's rooms once and
 * broadcasts one {@code live.presence} event carrying them (stored nowhere: presence is worth nothing a moment
 * later); every gateway sends {@code {"type":"presence","userId","online"}} once to each of its sockets following
 * any of those rooms, so the members of the user's rooms hear of it, however many rooms they share (the user's own
 * sockets are not told).
 */
public final class PresenceFrames implements Presence.Announcer {
    static final String SUBJECT = "live.presence";
    private static final Identity GATEWAY = Identity.ofService("gateway");

    /** The event between gateways. */
    record Announcement(UUID userId, boolean online, List<UUID> rooms) {
    }

    private final Bus bus;
    private final ServiceClient rooms;
    private final Fanout fanout;

    public PresenceFrames(Bus bus, ServiceClient rooms, Fanout fanout) {
        this.bus = bus;
        this.rooms = rooms;
        this.fanout = fanout;
    }

    @Override
    public void announce(UUID user, boolean online) {
        List<UUID> roomIds = rooms.get("/internal/members/" + user + "/rooms", GATEWAY, UserRooms.class).rooms().stream()
                .map(RoomView::id).toList();
        if (roomIds.isEmpty()) {
            return; // in no room: nobody to tell
        }
        var data = Json.toTree(new Announcement(user, online, roomIds));
        bus.broadcast(SUBJECT, new Event(UUID.randomUUID(), "presence", 1, Instant.now(), user.toString(), data,
                Map.of()).encode());
    }

    public Subscription start() {
        return bus.listen(SUBJECT, event -> {
            var announcement = event.dataAs(Announcement.class);
            fanout.sendToAnyRoom(new HashSet<>(announcement.rooms()), announcement.userId(),
                    Frames.presence(announcement.userId(), announcement.online()));
        });
    }
}
