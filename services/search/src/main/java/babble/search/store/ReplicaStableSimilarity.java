package babble.search.store;

import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * BM25 without the statistics of the whole index (idf and the average field length). Each search replica builds
 * its own index, whose statistics differ (deleted documents not merged away yet, segments of other sizes), so
 * plain BM25 gives the same document different scores on different replicas, and a relevance cursor made on one
 * replica skips or repeats hits on another. With these fixed, a document's score depends on itself and the query
 * alone. Little is lost: every word of a query must match, so idf would only weigh words every hit contains.
 */
public final class ReplicaStableSimilarity extends BM25Similarity {
    /** A typical field's length in words, in place of each index's own average. */
    private static final float TYPICAL_LENGTH = 32f;

    @Override
    protected float idf(long docFreq, long docCount) {
        return 1f;
    }

    @Override
    protected float avgFieldLength(CollectionStatistics collectionStats) {
        return TYPICAL_LENGTH;
    }
}
