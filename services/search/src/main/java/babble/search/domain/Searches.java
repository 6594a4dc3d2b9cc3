package babble.search.domain;

import babble.contracts.api.SearchResult;
import babble.contracts.api.SearchResults;
import babble.contracts.api.UserView;
import babble.platform.identity.Identity;
import babble.platform.problem.Unavailable;
import babble.search.domain.Highlights.Snippet;
import babble.search.store.ItemDocuments;
import babble.search.store.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /search}: the caller's query, narrowed by the request's filters and by what the caller may see
 * (shown items only; chat messages only from the caller's rooms, read at the moment of the search), in one order,
 * a page at a time, with the exact number of matches and highlights.
 */
public final class Searches {
    private static final Logger log = LoggerFactory.getLogger(Searches.class);
    /** Matches counted while collecting the top hits; more are counted apart (Lucene's own default). */
    static final int TOTAL_HITS_THRESHOLD = 1_000;

    private final SearchIndex index;
    private final SearchSyntax syntax;
    private final Highlights highlights;
    private final Memberships memberships;

    public Searches(SearchIndex index, SearchSyntax syntax, Highlights highlights, Memberships memberships) {
        this.index = index;
        this.syntax = syntax;
        this.highlights = highlights;
        this.memberships = memberships;
    }

    public SearchResults search(Identity caller, SearchRequest request) {
        caller.requireUser();
        Query asked = syntax.parse(request.q());
        var query = new BooleanQuery.Builder()
                .add(asked, Occur.MUST)
                .add(term(ItemDocuments.VISIBLE, ItemDocuments.SHOWN), Occur.FILTER)
                .add(readable(caller, request.kind()), Occur.FILTER);
        if (request.kind() != null) {
            query.add(term(ItemDocuments.KIND, request.kind()), Occur.FILTER);
        }
        if (request.room() != null) {
            query.add(term(ItemDocuments.ROOM, request.room().toString()), Occur.FILTER);
        }
        if (request.tag() != null) {
            query.add(term(ItemDocuments.TAG, request.tag()), Occur.FILTER);
        }
        if (request.author() != null) {
            query.add(term(ItemDocuments.AUTHOR, request.author()), Occur.FILTER);
        }
        try {
            return index.read(searcher -> page(searcher, query.build(), asked, request));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the index", e);
        }
    }

    /** Posts and comments are every signed-in user's to read; chat messages only those of the caller's rooms. */
    private Query readable(Identity caller, String kind) {
        var readable = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        if (kind == null || !kind.equals(ItemState.MESSAGE)) {
            readable.add(term(ItemDocuments.KIND, ItemState.POST), Occur.SHOULD)
                    .add(term(ItemDocuments.KIND, ItemState.COMMENT), Occur.SHOULD);
        }
        if (kind == null || kind.equals(ItemState.MESSAGE)) {
            Set<UUID> rooms = roomsOf(caller, kind);
            if (!rooms.isEmpty()) {
                List<BytesRef> ids = rooms.stream().map(r -> new BytesRef(r.toString())).toList();
                readable.add(new BooleanQuery.Builder()
                        .add(term(ItemDocuments.KIND, ItemState.MESSAGE), Occur.FILTER)
                        .add(new TermInSetQuery(ItemDocuments.ROOM, ids), Occur.FILTER)
                        .build(), Occur.SHOULD);
            }
        }
        return readable.build(); // no clause at all (messages asked, no rooms) matches nothing
    }

    /**
     * The caller's rooms. While they cannot be read (the rooms service down), a search of every kind still finds
     * posts and comments, and no message (never one the caller may not read); a search of messages only is a 503.
     */
    private Set<UUID> roomsOf(Identity caller, String kind) {
        try {
            return memberships.roomsOf(caller);
        } catch (Unavailable e) {
            if (kind != null) {
                throw e;
            }
            log.warn("searching without chat messages: the caller's rooms cannot be read ({})", e.getMessage());
            return Set.of();
        }
    }

    private SearchResults page(IndexSearcher searcher, Query query, Query asked, SearchRequest request)
            throws IOException {
        int limit = request.limit();
        // Past the threshold the top hits are found without scoring every match (relevance skips blocks that
        // cannot compete); the exact total then comes from a count, which only iterates the matches.
        var collector = new TopFieldCollectorManager(request.sort().lucene(), limit + 1, request.after(),
                TOTAL_HITS_THRESHOLD);
        TopFieldDocs top = searcher.search(query, collector);
        long total = top.totalHits.relation() == TotalHits.Relation.EQUAL_TO ? top.totalHits.value()
                : searcher.count(query);
        ScoreDoc[] hits = Arrays.copyOf(top.scoreDocs, Math.min(limit, top.scoreDocs.length));
        if (request.sort() != SearchSort.RELEVANCE) {
            TopFieldCollector.populateScores(hits, searcher, query);
        }
        var stored = searcher.storedFields();
        var items = new ArrayList<ItemState>(hits.length);
        for (ScoreDoc hit : hits) {
            items.add(ItemDocuments.state(stored, hit.doc));
        }
        int[] docs = Arrays.stream(hits).mapToInt(h -> h.doc).toArray();
        Map<String, Object[]> found = docs.length == 0 ? Map.of() : highlights.of(searcher, asked, docs, items);
        Object[] titles = found.getOrDefault(ItemDocuments.TITLE, new Object[docs.length]);
        Object[] texts = found.getOrDefault(ItemDocuments.TEXT, new Object[docs.length]);
        var results = new ArrayList<SearchResult>(hits.length);
        for (int i = 0; i < hits.length; i++) {
            ItemState item = items.get(i);
            float score = request.sort() == SearchSort.RELEVANCE ? (Float) ((FieldDoc) hits[i]).fields[0] : hits[i].score;
            results.add(result(item, score, snippet(titles[i]), snippet(texts[i])));
        }
        String next = top.scoreDocs.length > limit ? request.sort().cursor((FieldDoc) hits[limit - 1]) : null;
        return new SearchResults(results, total, next);
    }

    private static SearchResult result(ItemState item, float score, Snippet title, Snippet text) {
        UserView author;
        Instant createdAt;
        if (item.post() != null) {
            return new SearchResult(ItemState.POST, item.id(), item.roomId(), null, item.post().title(), text.text(),
                    text.spans(), title.spans(), item.post().author(), score, item.votes(), item.post().createdAt());
        } else if (item.comment() != null) {
            author = item.comment().author();
            createdAt = item.comment().createdAt();
        } else {
            var message = item.message();
            author = new UserView(message.userId(), message.username(), message.username());
            createdAt = message.createdAt();
        }
        return new SearchResult(item.kind(), item.id(), item.roomId(), item.postId(), null, text.text(), text.spans(),
                List.of(), author, score, 0, createdAt);
    }

    private static Snippet snippet(Object highlighted) {
        return highlighted instanceof Snippet s ? s : Snippet.NONE;
    }

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }
}
