package babble.contracts.events;

import babble.contracts.api.MessageView;

/**
 * A message was edited or deleted: {@code message} is its state now (a tombstone when deleted), {@code change} the
 * room's change counter after it (1, 2, 3... per room, in commit order), so a live client that resumes from a
 * change number is sent what changed since. Key: the room id (live subject {@code events.message.changed.<roomId>}).
 */
public record MessageChanged(MessageView message, long change) {
    public static final String TYPE = "message.changed";
}
