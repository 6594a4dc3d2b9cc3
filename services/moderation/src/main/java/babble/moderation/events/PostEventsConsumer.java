package babble.moderation.events;

import babble.contracts.events.CommentCreated;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.moderation.domain.Moderation;
import babble.platform.bus.Event;
import org.jdbi.v3.core.Handle;

/** Moderation's input: every new post and comment is decided; a deleted post leaves the review queue. */
public final class PostEventsConsumer {
    private final Moderation moderation;

    public PostEventsConsumer(Moderation moderation) {
        this.moderation = moderation;
    }

    public void apply(Event event, Handle tx) {
        switch (event.type()) {
            case PostCreated.TYPE -> moderation.postCreated(tx, event.dataAs(PostCreated.class).post());
            case CommentCreated.TYPE -> moderation.commentCreated(tx, event.dataAs(CommentCreated.class).comment());
            case PostDeleted.TYPE -> moderation.postDeleted(tx, event.dataAs(PostDeleted.class).postId());
            default -> {
                // votes do not concern moderation
            }
        }
    }
}
