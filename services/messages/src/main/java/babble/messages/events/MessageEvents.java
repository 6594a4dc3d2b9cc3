package babble.messages.events;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageCreated;
import babble.contracts.events.MessageMentioned;
import babble.contracts.events.MessageReacted;
import babble.platform.outbox.Outbox;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** What the messages service tells the others, written to its outbox inside the change's transaction. */
public final class MessageEvents {
    private final Outbox outbox;

    public MessageEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** One event per message, in order, in one round trip; {@code causes} names each one's request and trace. */
    public void createdAll(Handle tx, List<MessageView> messages, List<Outbox.Cause> causes) {
        var events = new ArrayList<Outbox.New>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            MessageView m = messages.get(i);
            events.add(new Outbox.New(MessageCreated.TYPE, m.roomId().toString(), new MessageCreated(m), causes.get(i)));
        }
        outbox.addAll(tx, events);
    }

    /** A message names members who were not named in it before (its post, or an edit). */
    public void mentioned(Handle tx, MessageMentioned mentioned, Outbox.Cause cause) {
        outbox.addAll(tx, List.of(new Outbox.New(MessageMentioned.TYPE, mentioned.roomId().toString(), mentioned, cause)));
    }

    /** A reaction was given or taken back. */
    public void reacted(Handle tx, MessageReacted reacted, Outbox.Cause cause) {
        outbox.addAll(tx, List.of(new Outbox.New(MessageReacted.TYPE, reacted.roomId().toString(), reacted, cause)));
    }

    /** A message was edited or deleted: its state now, and the room's change number. */
    public void changed(Handle tx, MessageView message, long change, Outbox.Cause cause) {
        outbox.addAll(tx, List.of(new Outbox.New(MessageChanged.TYPE, message.roomId().toString(),
                new MessageChanged(message, change), cause)));
    }
}
