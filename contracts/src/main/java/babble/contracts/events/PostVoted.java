package babble.contracts.events;

import java.util.UUID;

/**
 * A user's vote on a post is now {@code value}, and the post's score {@code score}. {@code version} grows with every
 * change of the post, so a consumer that sees changes out of order keeps the newest. Key: the room id.
 */
public record PostVoted(UUID postId, UUID roomId, UUID userId, int value, long score, long version) {
    public static final String TYPE = "post.voted";
}
