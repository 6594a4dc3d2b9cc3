package babble.contracts.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One search hit: a post, comment or chat message. {@code text} is the matching passage of the item's text (the
 * whole text when short), {@code highlights} the [start, end) character offsets of the matched words in
 * {@code text}, {@code titleHighlights} the same in a post's {@code title}. {@code score} is the relevance;
 * {@code votes} a post's vote score (0 for comments and messages).
 */
public record SearchResult(String kind, UUID id, UUID roomId, UUID postId, String title, String text,
                           List<int[]> highlights, List<int[]> titleHighlights, UserView author, double score,
                           long votes, Instant createdAt) {
}
