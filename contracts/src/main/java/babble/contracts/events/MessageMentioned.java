package babble.contracts.events;

import babble.contracts.api.UserView;
import java.util.List;
import java.util.UUID;

/**
 * Message {@code seq} names members as {@code @username}: {@code userIds} are those newly mentioned (by the post,
 * or by an edit that added them), {@code by} its author. Key: the room id. The gateway notifies their sockets.
 */
public record MessageMentioned(UUID roomId, long seq, List<UUID> userIds, UserView by) {
    public static final String TYPE = "message.mentioned";
}
