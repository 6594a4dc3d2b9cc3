package babble.messages.events;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageCreated;
import babble.platform.outbox.Outbox;
import org.jdbi.v3.core.Handle;

/** What the messages service tells the others, written to its outbox inside the change's transaction. */
public final class MessageEvents {
    private final Outbox outbox;

    public MessageEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void created(Handle tx, MessageView message) {
        outbox.add(tx, MessageCreated.TYPE, message.roomId().toString(), new MessageCreated(message));
    }
}
