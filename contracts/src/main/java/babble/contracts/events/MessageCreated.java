package babble.contracts.events;

import babble.contracts.api.MessageView;

/** A message was stored with its seq. Key: the room id (live subject {@code events.message.created.<roomId>}). */
public record MessageCreated(MessageView message) {
    public static final String TYPE = "message.created";
}
