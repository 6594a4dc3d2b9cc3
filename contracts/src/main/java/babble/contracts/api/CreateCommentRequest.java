package babble.contracts.api;

/** {@code POST /posts/{id}/comments}; {@code parentId} (a comment of the same post) makes it a reply. */
public record CreateCommentRequest(String text, String parentId) {
}
