package babble.recommend.events;

import babble.contracts.events.ItemModerated;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.contracts.events.PostVoted;
import babble.platform.bus.Event;
import babble.recommend.store.PostStore;
import org.jdbi.v3.core.Handle;

/**
 * Keeps the ranked posts from the post and moderation streams. The two are read independently, so a decision may
 * come before its post (it carries the post, and inserts it) and a redelivered event after newer ones: each write
 * keeps the newest version, and a deleted post stays deleted. They are also applied concurrently, so each event
 * first locks its post's row ({@link PostStore#lockDeleted}) and sees what the other stream committed.
 */
public final class PostsConsumer {
    private final PostStore store;

    public PostsConsumer(PostStore store) {
        this.store = store;
    }

    public void apply(Event event, Handle tx) {
        switch (event.type()) {
            case PostCreated.TYPE -> {
                var post = event.dataAs(PostCreated.class).post();
                if (!store.lockDeleted(tx, post.id())) {
                    // An imported post is approved as it was written (decision version 0); any other awaits moderation.
                    boolean imported = PostStore.APPROVED.equals(post.status());
                    store.insert(tx, post, imported ? PostStore.APPROVED : "pending", 0);
                }
            }
            case PostVoted.TYPE -> {
                var vote = event.dataAs(PostVoted.class);
                if (!store.lockDeleted(tx, vote.postId())) {
                    store.setScore(tx, vote.postId(), vote.score(), vote.version());
                }
            }
            case PostDeleted.TYPE -> {
                var postId = event.dataAs(PostDeleted.class).postId();
                if (!store.lockDeleted(tx, postId)) {
                    store.delete(tx, postId);
                }
            }
            case ItemModerated.TYPE -> moderated(tx, event.dataAs(ItemModerated.class));
            default -> {
                // comments and other events of these streams do not change the ranking
            }
        }
    }

    private void moderated(Handle tx, ItemModerated decision) {
        if (!"post".equals(decision.kind()) || store.lockDeleted(tx, decision.id())) {
            return;
        }
        if (decision.post() == null || !store.insert(tx, decision.post(), decision.status(), decision.version())) {
            store.setStatus(tx, decision.id(), decision.status(), decision.version());
        }
    }
}
