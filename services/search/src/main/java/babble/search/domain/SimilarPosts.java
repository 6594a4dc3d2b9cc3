package babble.search.domain;

import babble.contracts.api.PostList;
import babble.platform.identity.Identity;
import babble.platform.problem.NotFound;
import babble.search.store.ItemDocuments;
import babble.search.store.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queries.mlt.MoreLikeThis;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/**
 * {@code GET /posts/{id}/similar}: the shown posts most like one (Lucene's MoreLikeThis on its title and text),
 * never the post itself, as the caller sees them (the query service's posts, in this order).
 */
public final class SimilarPosts {
    public static final int DEFAULT_LIMIT = 5;
    public static final int MAX_LIMIT = 20;
    /** Asked for beyond the limit, in case the query service has not seen some yet or hides them from the caller. */
    private static final int SPARE = 5;

    /** Where posts are read as a user sees them, in the order asked. */
    public interface PostDirectory {
        PostList lookup(Identity caller, List<UUID> ids);
    }

    private final SearchIndex index;
    private final Analyzer analyzer;
    private final PostDirectory posts;

    public SimilarPosts(SearchIndex index, Analyzer analyzer, PostDirectory posts) {
        this.index = index;
        this.analyzer = analyzer;
        this.posts = posts;
    }

    /** 404 when the post is not a shown post of the index. */
    public PostList similar(Identity caller, UUID postId, int limit) {
        caller.requireUser();
        List<UUID> ids;
        try {
            ids = index.read(searcher -> likeIds(searcher, postId, limit + SPARE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the index", e);
        }
        if (ids.isEmpty()) {
            return new PostList(List.of(), null);
        }
        var found = posts.lookup(caller, ids).posts();
        return new PostList(found.subList(0, Math.min(limit, found.size())), null);
    }

    private List<UUID> likeIds(IndexSearcher searcher, UUID postId, int wanted) throws IOException {
        Query shownPost = new BooleanQuery.Builder()
                .add(term(ItemDocuments.ID, postId.toString()), Occur.FILTER)
                .add(shownPosts(), Occur.FILTER)
                .build();
        ScoreDoc[] self = searcher.search(shownPost, 1).scoreDocs;
        if (self.length == 0) {
            throw NotFound.of("post", postId);
        }
        var moreLikeThis = new MoreLikeThis(searcher.getIndexReader());
        moreLikeThis.setAnalyzer(analyzer);
        moreLikeThis.setFieldNames(new String[] {ItemDocuments.TITLE, ItemDocuments.TEXT});
        moreLikeThis.setMinTermFreq(1);
        // A word no other document has cannot find anything: it would only take a place among the query's words.
        moreLikeThis.setMinDocFreq(2);
        moreLikeThis.setMaxQueryTerms(25);
        Query similar = new BooleanQuery.Builder()
                .add(moreLikeThis.like(self[0].doc), Occur.MUST)
                .add(shownPosts(), Occur.FILTER)
                .add(term(ItemDocuments.ID, postId.toString()), Occur.MUST_NOT)
                .build();
        var stored = searcher.storedFields();
        var ids = new ArrayList<UUID>();
        for (ScoreDoc hit : searcher.search(similar, wanted).scoreDocs) {
            ids.add(ItemDocuments.state(stored, hit.doc).id());
        }
        return ids;
    }

    private static Query shownPosts() {
        return new BooleanQuery.Builder()
                .add(term(ItemDocuments.KIND, ItemState.POST), Occur.FILTER)
                .add(term(ItemDocuments.VISIBLE, ItemDocuments.SHOWN), Occur.FILTER)
                .build();
    }

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }
}
