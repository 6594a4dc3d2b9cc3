package babble.contracts.events;

import babble.contracts.api.CommentView;

/** A comment was written (status pending). On the post stream, after its post. Key: the room id. */
public record CommentCreated(CommentView comment) {
    public static final String TYPE = "post.comment-created";
}
