package babble.search.domain;

import java.util.List;
import java.util.UUID;

/**
 * The item states an event is applied to: those a batch of events has already changed, else those in the index.
 * Changes are collected and written together when the batch ends.
 */
public interface ItemLookup {
    /** The item's state, or null when the index has never heard of it. */
    ItemState find(UUID id);

    /** Every comment the index holds for the post, shown or not. */
    List<ItemState> commentsOf(UUID postId);

    /** Records the item's new state (written with the rest of the batch). */
    void put(ItemState state);
}
