package babble.contracts.events;

import babble.contracts.api.MessageView;
import java.util.List;
import java.util.UUID;

/**
 * A user gave ({@code added}) or took back an emoji on message {@code seq}: {@code reactions} are the message's
 * counts now (without "me"), {@code change} the room's change number (see {@link MessageChanged}). Key: the room id.
 */
public record MessageReacted(UUID roomId, long seq, String emoji, UUID userId, boolean added,
                             List<MessageView.Reaction> reactions, long change) {
    public static final String TYPE = "message.reacted";
}
