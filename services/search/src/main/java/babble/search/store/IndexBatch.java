package babble.search.store;

import babble.search.domain.ItemLookup;
import babble.search.domain.ItemState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.lucene.search.IndexSearcher;

/**
 * The item states one batch of events works on: its own changes first (not yet in the index, which a batch
 * writes and commits at its end), then the index as of the last commit.
 */
public final class IndexBatch implements ItemLookup {
    private final IndexSearcher searcher;
    private final Map<UUID, ItemState> changed = new LinkedHashMap<>();
    private final Map<UUID, ItemState> read = new HashMap<>();

    public IndexBatch(IndexSearcher searcher) {
        this.searcher = searcher;
    }

    @Override
    public ItemState find(UUID id) {
        ItemState mine = changed.get(id);
        if (mine != null) {
            return mine;
        }
        if (read.containsKey(id)) {
            return read.get(id);
        }
        try {
            ItemState indexed = SearchIndex.find(searcher, id);
            read.put(id, indexed);
            return indexed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read item " + id + " from the search index", e);
        }
    }

    @Override
    public List<ItemState> commentsOf(UUID postId) {
        var comments = new LinkedHashMap<UUID, ItemState>();
        try {
            SearchIndex.commentsOf(searcher, postId).forEach(c -> comments.put(c.id(), c));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the comments of post " + postId + " from the search index", e);
        }
        for (ItemState mine : changed.values()) {
            if (mine.isComment() && Objects.equals(mine.postId(), postId)) {
                comments.put(mine.id(), mine);
            }
        }
        return new ArrayList<>(comments.values());
    }

    @Override
    public void put(ItemState state) {
        changed.put(state.id(), state);
    }

    /** The new state of every item the batch changed. */
    public Collection<ItemState> changes() {
        return changed.values();
    }
}
