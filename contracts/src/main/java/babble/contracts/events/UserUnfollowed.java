package babble.contracts.events;

import java.util.UUID;

/** {@code followerId} no longer follows {@code followeeId}. Key: the followee's id. */
public record UserUnfollowed(UUID followerId, UUID followeeId) {
    public static final String TYPE = "user.unfollowed";
}
