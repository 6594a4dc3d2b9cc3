package babble.tags.events;

import babble.contracts.events.LabelsChanged;
import babble.contracts.events.TopicsChanged;
import babble.platform.outbox.Outbox;
import org.jdbi.v3.core.Handle;

/** What the tags service tells the others (recommend, the user's own sockets), inside the change's transaction. */
public final class TagEvents {
    private final Outbox outbox;

    public TagEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void topicsChanged(Handle tx, TopicsChanged change) {
        outbox.add(tx, TopicsChanged.TYPE, change.userId().toString(), change);
    }

    public void labelsChanged(Handle tx, LabelsChanged change) {
        outbox.add(tx, LabelsChanged.TYPE, change.userId().toString(), change);
    }
}
