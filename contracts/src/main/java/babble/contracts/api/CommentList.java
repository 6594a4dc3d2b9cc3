package babble.contracts.api;

import java.util.List;

/** {@code GET /posts/{id}/comments}: oldest first. */
public record CommentList(List<CommentView> comments, String next) {
}
