package babble.contracts.events;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import java.time.Instant;
import java.util.UUID;

/**
 * Moderation decided on a post or comment: {@code status} approved, rejected or held, {@code by} "rules" or the
 * owner's user id. {@code version} counts the item's decisions (newest wins whatever the arrival order);
 * {@code previousStatus} is null on the first. The item as created rides along ({@code post} or {@code comment}),
 * so live clients can be shown it without another call. Key: the room id.
 */
public record ItemModerated(String kind, UUID id, UUID postId, UUID roomId, UUID authorId, String status,
                            String previousStatus, String reason, String by, long version, Instant at, PostView post,
                            CommentView comment) {
    public static final String TYPE = "moderation.decided";
}
