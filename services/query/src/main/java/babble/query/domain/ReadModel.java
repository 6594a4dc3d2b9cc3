package babble.query.domain;

import babble.contracts.events.CommentCreated;
import babble.contracts.events.ItemModerated;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.contracts.events.PostVoted;
import babble.contracts.events.RoomCreated;
import babble.query.store.ReadModelStore;
import babble.query.store.ReadModelStore.Decision;
import babble.platform.bus.Event;
import org.jdbi.v3.core.Handle;

/**
 * Builds the read model from events alone. The post, moderation and room streams are read independently, so a
 * decision may arrive before its item and a redelivered event after newer ones: every row keeps the version it
 * is at, an older event changes nothing, and an item finds the decision that came before it.
 */
public final class ReadModel {
    private static final String APPROVED = ReadModelStore.APPROVED;
    private final ReadModelStore store;

    public ReadModel(ReadModelStore store) {
        this.store = store;
    }

    public void apply(Event event, Handle tx) {
        switch (event.type()) {
            case RoomCreated.TYPE -> store.roomExists(tx, event.dataAs(RoomCreated.class).room().id());
            case PostCreated.TYPE -> {
                var post = event.dataAs(PostCreated.class).post();
                store.roomExists(tx, post.roomId());
                var decision = store.lockDecision(tx, post.id());
                if (decision.version() == 0 && APPROVED.equals(post.status())) {
                    decision = new Decision(APPROVED, null, 0); // imported: approved as it was written
                }
                store.insertPost(tx, post, decision);
            }
            case CommentCreated.TYPE -> {
                var comment = event.dataAs(CommentCreated.class).comment();
                var decision = store.lockDecision(tx, comment.id());
                if (store.insertComment(tx, comment, decision) && decision.status().equals(APPROVED)) {
                    store.addToCommentCount(tx, comment.postId(), 1);
                }
            }
            case PostVoted.TYPE -> {
                var vote = event.dataAs(PostVoted.class);
                store.putVote(tx, vote.postId(), vote.userId(), vote.value(), vote.version());
                store.setScore(tx, vote.postId(), vote.score(), vote.version());
            }
            case PostDeleted.TYPE -> store.markDeleted(tx, event.dataAs(PostDeleted.class).postId());
            case ItemModerated.TYPE -> moderated(tx, event.dataAs(ItemModerated.class));
            default -> {
                // other events of these streams do not change the model
            }
        }
    }

    private void moderated(Handle tx, ItemModerated m) {
        var decision = new Decision(m.status(), m.reason(), m.version());
        if (!store.putDecision(tx, m.id(), decision)) {
            return; // a newer decision is already applied
        }
        if (m.kind().equals("post")) {
            store.setPostStatus(tx, m.id(), decision);
            return;
        }
        var before = store.setCommentStatus(tx, m.id(), decision);
        if (before.isPresent()) {
            boolean wasShown = before.get().equals(APPROVED);
            boolean shown = m.status().equals(APPROVED);
            if (wasShown != shown) {
                store.addToCommentCount(tx, m.postId(), shown ? 1 : -1);
            }
        }
    }
}
