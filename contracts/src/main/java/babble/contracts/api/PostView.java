package babble.contracts.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A post in a room's community: {@code status} is pending, approved, rejected or held (moderation decides);
 * {@code reason} says why when it is not approved; {@code myVote} is the caller's vote (-1, 0, 1).
 */
public record PostView(UUID id, UUID roomId, UserView author, String title, String body, String url, List<String> tags,
                       long score, int myVote, long commentCount, String status, String reason, Instant createdAt) {
}
