package babble.posts.events;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import babble.contracts.events.CommentCreated;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.contracts.events.PostVoted;
import babble.platform.outbox.Outbox;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * What the posts service tells the others, inside the change's transaction. Everything goes on the {@code post}
 * stream keyed by room, so a comment never overtakes its post; the stream is kept for ever (the query service
 * rebuilds from it).
 */
public final class PostEvents {
    private final Outbox outbox;

    public PostEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void postCreated(Handle tx, PostView post) {
        outbox.add(tx, PostCreated.TYPE, post.roomId().toString(), new PostCreated(post));
    }

    /** Posts created together (an import batch), in one round trip. */
    public void postsCreated(Handle tx, List<PostView> posts) {
        var cause = Outbox.Cause.current();
        outbox.addAll(tx, posts.stream().map(post -> new Outbox.New(PostCreated.TYPE, post.roomId().toString(),
                new PostCreated(post), cause)).toList());
    }

    public void commentCreated(Handle tx, CommentView comment) {
        outbox.add(tx, CommentCreated.TYPE, comment.roomId().toString(), new CommentCreated(comment));
    }

    public void voted(Handle tx, UUID postId, UUID roomId, UUID userId, int value, long score, long version) {
        outbox.add(tx, PostVoted.TYPE, roomId.toString(), new PostVoted(postId, roomId, userId, value, score, version));
    }

    public void deleted(Handle tx, UUID postId, UUID roomId, UUID by, long version) {
        outbox.add(tx, PostDeleted.TYPE, roomId.toString(), new PostDeleted(postId, roomId, by, version));
    }
}
