package babble.messages;

import babble.messages.api.MessagesApi;
import babble.messages.api.RoomsClient;
import babble.messages.domain.Memberships;
import babble.messages.domain.Messages;
import babble.messages.events.MessageEvents;
import babble.messages.events.RoomEventsConsumer;
import babble.messages.store.MembershipStore;
import babble.messages.store.MessageStore;
import babble.platform.Chassis;
import babble.platform.Service;
import java.time.Duration;

/** Messages with a per-room seq, read markers, and this service's own copy of room memberships. */
public final class MessagesService implements Service {

    @Override
    public String name() {
        return "messages";
    }

    @Override
    public void start(Chassis chassis) {
        var db = chassis.database();
        var roomsClient = new RoomsClient(chassis.client("rooms"));
        var membershipStore = new MembershipStore();
        var memberships = new Memberships(db, membershipStore, roomsClient);
        var messages = new Messages(db, new MessageStore(), memberships, new MessageEvents(chassis.outbox()),
                chassis.clock(), roomsClient, chassis.config().duration("MESSAGES_EDIT_WINDOW", Duration.ofHours(24)));
        chassis.onStop(messages);
        chassis.http(routes -> new MessagesApi(messages).register(routes));
        chassis.consume("memberships", "events.room.>", new RoomEventsConsumer(membershipStore)::apply);
    }
}
