package babble.search.domain;

import babble.contracts.api.PostView;
import babble.contracts.events.ItemModerated;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageCreated;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.contracts.events.PostVoted;
import babble.platform.bus.Event;
import java.util.UUID;

/**
 * How each event changes what the index holds. The post, moderation and message streams are read independently
 * and redelivered at will, so every change is guarded by the version it carries (a decision, a vote score) or is
 * final (a deletion), and applying an event twice, or late, changes nothing. A message's version is the room's
 * change number of its latest edit or deletion (0 as posted). A comment is shown only while its own
 * newest decision approves it and its post is shown; when a post appears or disappears, so do its comments.
 */
public final class Indexing {

    public void apply(Event event, ItemLookup items) {
        switch (event.type()) {
            case PostCreated.TYPE -> postCreated(event.dataAs(PostCreated.class).post(), items);
            case PostVoted.TYPE -> {
                var vote = event.dataAs(PostVoted.class);
                ItemState before = post(items, vote.postId(), vote.roomId());
                putPost(items, before, before.voted(vote.score(), vote.version()));
            }
            case PostDeleted.TYPE -> {
                var deletion = event.dataAs(PostDeleted.class);
                ItemState before = post(items, deletion.postId(), deletion.roomId());
                putPost(items, before, before.asDeleted());
            }
            case ItemModerated.TYPE -> moderated(event.dataAs(ItemModerated.class), items);
            case MessageCreated.TYPE -> {
                ItemState message = ItemState.message(event.dataAs(MessageCreated.class).message(), 0);
                if (items.find(message.id()) == null) { // a redelivery never undoes a later edit
                    items.put(message);
                }
            }
            case MessageChanged.TYPE -> {
                var changed = event.dataAs(MessageChanged.class);
                ItemState message = ItemState.message(changed.message(), changed.change());
                ItemState before = items.find(message.id());
                if (before == null || before.statusVersion() < changed.change()) {
                    items.put(changed.message().deleted() ? message.asDeleted() : message);
                }
            }
            default -> {
                // comments wait for their decision (it carries them); other events do not change the index
            }
        }
    }

    /** Only an imported post is approved as it is written (decision version 0, with its own score); others wait. */
    private void postCreated(PostView post, ItemLookup items) {
        if (!ItemState.APPROVED.equals(post.status())) {
            return;
        }
        ItemState before = post(items, post.id(), post.roomId());
        putPost(items, before, before.withPost(post).decided(ItemState.APPROVED, 0).voted(post.score(), 0));
    }

    private void moderated(ItemModerated decision, ItemLookup items) {
        if (ItemState.POST.equals(decision.kind())) {
            ItemState before = post(items, decision.id(), decision.roomId());
            putPost(items, before, before.decided(decision.status(), decision.version()).withPost(decision.post()));
            return;
        }
        if (!ItemState.COMMENT.equals(decision.kind())) {
            return;
        }
        ItemState before = items.find(decision.id());
        if (before == null) {
            before = ItemState.newComment(decision.id(), decision.postId(), decision.roomId());
        }
        ItemState after = before.decided(decision.status(), decision.version()).withComment(decision.comment());
        ItemState post = items.find(decision.postId());
        if (post != null && post.deleted()) {
            after = after.asDeleted();
        }
        after = after.withVisible(after.commentShown(post != null && post.postShown()));
        if (!after.equals(before)) {
            items.put(after);
        }
    }

    /** Writes a post's new state and, when it appears, disappears or is deleted, its comments' too. */
    private static void putPost(ItemLookup items, ItemState before, ItemState after) {
        after = after.withVisible(after.postShown());
        if (after.equals(before)) {
            return;
        }
        items.put(after);
        boolean newlyDeleted = after.deleted() && !before.deleted();
        if (before.visible() == after.visible() && !newlyDeleted) {
            return;
        }
        for (ItemState comment : items.commentsOf(after.id())) {
            ItemState changed = newlyDeleted ? comment.asDeleted() : comment;
            changed = changed.withVisible(changed.commentShown(after.visible()));
            if (!changed.equals(comment)) {
                items.put(changed);
            }
        }
    }

    private static ItemState post(ItemLookup items, UUID id, UUID roomId) {
        ItemState known = items.find(id);
        return known != null ? known : ItemState.newPost(id, roomId);
    }
}
