package babble.contracts.events;

import java.util.UUID;

/** A post was deleted, with its comments, by its author or the room's owner. Key: the room id. */
public record PostDeleted(UUID postId, UUID roomId, UUID by, long version) {
    public static final String TYPE = "post.deleted";
}
