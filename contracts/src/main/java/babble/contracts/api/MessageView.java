package babble.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A chat message; {@code seq} numbers a room's messages 1, 2, 3... with no gaps. An edited message has
 * {@code editedAt}; a deleted one stays as a tombstone ({@code deleted}, no author or text) so seqs stay dense.
 * {@code mentions} are the members it names as {@code @username}; {@code reactions} counts each emoji given to it,
 * first given first (with {@code me} when read by a user).
 */
public record MessageView(UUID id, UUID roomId, long seq,
                          @JsonInclude(JsonInclude.Include.NON_NULL) UUID userId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String username,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String text,
                          Instant createdAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant editedAt,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean deleted,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UUID> mentions,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Reaction> reactions) {

    public MessageView {
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        reactions = reactions == null ? List.of() : List.copyOf(reactions);
    }

    /** A message as first posted: not edited, not deleted, no reactions. */
    public MessageView(UUID id, UUID roomId, long seq, UUID userId, String username, String text, Instant createdAt) {
        this(id, roomId, seq, userId, username, text, createdAt, null, false, List.of(), List.of());
    }

    /** What remains of a deleted message: where it was, and that it was deleted. */
    public static MessageView tombstone(UUID id, UUID roomId, long seq, Instant createdAt) {
        return new MessageView(id, roomId, seq, null, null, null, createdAt, null, true, List.of(), List.of());
    }

    public MessageView withReactions(List<Reaction> now) {
        return new MessageView(id, roomId, seq, userId, username, text, createdAt, editedAt, deleted, mentions, now);
    }

    /** One emoji on a message: how many gave it and, read by a user, whether they did ({@code null} otherwise). */
    public record Reaction(String emoji, int count, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean me) {
    }
}
