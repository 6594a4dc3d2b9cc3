package babble.moderation.domain;

import babble.contracts.api.UserView;
import java.time.Instant;
import java.util.UUID;

/** A post or comment as moderation keeps it, with its current decision. */
public record Item(String kind, UUID id, UUID postId, UUID roomId, UserView author, String text, String snapshot,
                   Instant createdAt, String status, String reason, long version, boolean deleted) {
    public static final String POST = "post";
    public static final String COMMENT = "comment";

    public Item decided(String newStatus, String newReason) {
        return new Item(kind, id, postId, roomId, author, text, snapshot, createdAt, newStatus, newReason, version + 1, deleted);
    }
}
