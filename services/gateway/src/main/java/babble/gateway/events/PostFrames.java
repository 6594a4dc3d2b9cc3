package babble.gateway.events;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import babble.contracts.events.CommentCreated;
import babble.contracts.events.ItemModerated;
import babble.contracts.events.PostCreated;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.domain.Fanout;
import babble.gateway.domain.Frames;
import babble.platform.bus.Bus;
import babble.platform.bus.Subscription;
import java.util.List;
import java.util.UUID;

/**
 * Live frames of posts and comments (docs/API.md, "Posts live"): a new item goes at once to its author's sockets
 * subscribed to the room (pending); once approved, to every subscriber of the room; a decision goes to the
 * author's sockets, and to every subscriber when an item stops being shown, so clients drop it.
 */
public final class PostFrames {
    private static final String APPROVED = "approved";

    private final Bus bus;
    private final Fanout fanout;
    private final LiveEndpoint live;

    public PostFrames(Bus bus, Fanout fanout, LiveEndpoint live) {
        this.bus = bus;
        this.fanout = fanout;
        this.live = live;
    }

    public Subscription start() {
        var subscriptions = List.of(
                bus.listen("events." + PostCreated.TYPE + ".*", event -> {
                    PostView post = event.dataAs(PostCreated.class).post();
                    fanout.sendToRoom(post.roomId(), post.author().id()::equals, Frames.post(post));
                }),
                bus.listen("events." + CommentCreated.TYPE + ".*", event -> {
                    CommentView comment = event.dataAs(CommentCreated.class).comment();
                    fanout.sendToRoom(comment.roomId(), comment.author().id()::equals, Frames.comment(comment));
                }),
                bus.listen("events." + ItemModerated.TYPE + ".*", event -> moderated(event.dataAs(ItemModerated.class))));
        return () -> subscriptions.forEach(Subscription::close);
    }

    private void moderated(ItemModerated m) {
        UUID author = m.authorId();
        live.notifyUser(author, Frames.moderated(m));
        boolean shown = m.status().equals(APPROVED);
        boolean wasShown = APPROVED.equals(m.previousStatus());
        if (shown && !wasShown) {
            String frame = m.post() != null ? Frames.post(approved(m.post())) : Frames.comment(approved(m.comment()));
            fanout.sendToRoom(m.roomId(), user -> true, frame);
        } else if (wasShown && !shown) {
            fanout.sendToRoom(m.roomId(), user -> !user.equals(author), Frames.moderated(m));
        }
    }

    private static PostView approved(PostView p) {
        return new PostView(p.id(), p.roomId(), p.author(), p.title(), p.body(), p.url(), p.tags(), p.score(), 0,
                p.commentCount(), APPROVED, null, p.createdAt());
    }

    private static CommentView approved(CommentView c) {
        return new CommentView(c.id(), c.postId(), c.roomId(), c.parentId(), c.author(), c.text(), APPROVED, null,
                c.createdAt());
    }
}
