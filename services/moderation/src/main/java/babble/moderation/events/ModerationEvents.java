package babble.moderation.events;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import babble.contracts.events.ItemModerated;
import babble.moderation.domain.Item;
import babble.platform.json.Json;
import babble.platform.outbox.Outbox;
import org.jdbi.v3.core.Handle;

/** Announces decisions on the {@code moderation} stream (kept for ever: the query service rebuilds from it). */
public final class ModerationEvents {
    private final Outbox outbox;

    public ModerationEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void decided(Handle tx, Item item, String previousStatus, String by) {
        boolean post = item.kind().equals(Item.POST);
        var event = new ItemModerated(item.kind(), item.id(), item.postId(), item.roomId(), item.author().id(),
                item.status(), previousStatus, item.reason(), by, item.version(), java.time.Instant.now(),
                post ? Json.read(item.snapshot(), PostView.class) : null,
                post ? null : Json.read(item.snapshot(), CommentView.class));
        outbox.add(tx, ItemModerated.TYPE, item.roomId().toString(), event);
    }
}
