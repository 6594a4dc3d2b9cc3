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

/** Messages with a per-room seq, read markers, and this service's own copy of room memberships. */
public final class MessagesService implements Service {

    @Override
    public String name() {
        return "messages";
    }

    @Override
    public void start(Chassis chassis) {
        var db = chassis.database();
        var membershipStore = new MembershipStore();
        var memberships = new Memberships(db, membershipStore, new RoomsClient(chassis.client("rooms")));
        var messages = new Messages(db, new MessageStore(), memberships, new MessageEvents(chassis.outbox()),
                chassis.clock());
        chassis.onStop(messages);
        chassis.http(routes -> new MessagesApi(messages).register(routes));
        chassis.consume("memberships", "events.room.>", new RoomEventsConsumer(membershipStore)::apply);
    }
}
