package babble.search.store;

import babble.search.domain.ItemState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The Lucene index on local disk: one writer, and searchers that see what the last commit holds. Item states are
 * read back from the documents themselves (the index is the only store this service has).
 */
public final class SearchIndex implements AutoCloseable {
    /** Scores that are the same on every replica (see {@link ReplicaStableSimilarity}). */
    static final ReplicaStableSimilarity SIMILARITY = new ReplicaStableSimilarity();
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final boolean fresh;

    private SearchIndex(Directory directory, IndexWriter writer, boolean fresh) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.fresh = fresh;
        this.searchers = new SearcherManager(writer, new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                var searcher = new IndexSearcher(reader);
                searcher.setSimilarity(SIMILARITY);
                return searcher;
            }
        });
    }

    /** Opens the index in {@code dir}, creating it (and the directory) when there is none. */
    public static SearchIndex open(Path dir, Analyzer analyzer) {
        try {
            Files.createDirectories(dir);
            Directory directory = FSDirectory.open(dir);
            boolean fresh = !DirectoryReader.indexExists(directory);
            var config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setSimilarity(SIMILARITY);
            return new SearchIndex(directory, new IndexWriter(directory, config), fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + dir, e);
        }
    }

    /** True when the directory held no committed index when opened: it must be built by replay. */
    public boolean isNew() {
        return fresh;
    }

    /** A searcher of the last refreshed commit; give it back with {@link #release}. */
    public IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    public void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Runs {@code read} on a searcher of the last refreshed commit. */
    public <T> T read(Read<T> read) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return read.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    /** A read of the index. */
    @FunctionalInterface
    public interface Read<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** The state of an item, or null when the index holds no document for it. */
    public static ItemState find(IndexSearcher searcher, UUID id) throws IOException {
        var hits = searcher.search(new TermQuery(new Term(ItemDocuments.ID, id.toString())), 1);
        return hits.scoreDocs.length == 0 ? null : ItemDocuments.state(searcher.storedFields(), hits.scoreDocs[0].doc);
    }

    /** Every comment of a post that has a document, shown or not. */
    public static List<ItemState> commentsOf(IndexSearcher searcher, UUID postId) throws IOException {
        var query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ItemDocuments.POST, postId.toString())), Occur.FILTER)
                .add(new TermQuery(new Term(ItemDocuments.KIND, ItemState.COMMENT)), Occur.FILTER)
                .build();
        int count = searcher.count(query);
        var comments = new ArrayList<ItemState>(count);
        if (count > 0) {
            var stored = searcher.storedFields();
            for (ScoreDoc hit : searcher.search(query, count).scoreDocs) {
                comments.add(ItemDocuments.state(stored, hit.doc));
            }
        }
        return comments;
    }

    /** Replaces the documents of these items (each by its id); visible to searchers after {@link #commit}. */
    public void write(Collection<ItemState> items) throws IOException {
        for (ItemState item : items) {
            writer.updateDocument(new Term(ItemDocuments.ID, item.id().toString()), ItemDocuments.of(item));
        }
    }

    /** Makes everything written durable, then visible to the next searcher acquired. */
    public void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** False once the writer has failed for good (a disk error, say): the index takes no more changes. */
    public boolean isWritable() {
        return writer.isOpen();
    }

    /** Documents in the index, hidden ones (tombstones, pending state) included. */
    public int documents() {
        try {
            return read(searcher -> searcher.getIndexReader().numDocs());
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
