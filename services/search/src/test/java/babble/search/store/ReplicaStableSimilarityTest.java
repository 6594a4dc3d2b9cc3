package babble.search.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** Two replicas' indexes with other documents around the same one give it the same score (plain BM25 does not). */
class ReplicaStableSimilarityTest {

    @Test
    void aDocumentScoresTheSameInIndexesWithDifferentStatistics() throws IOException {
        Similarity stable = new ReplicaStableSimilarity();
        assertThat(scoreOfTheSameDocument(stable, 0)).isEqualTo(scoreOfTheSameDocument(stable, 40));
    }

    @Test
    void plainBm25WouldNot() throws IOException {
        Similarity plain = new BM25Similarity();
        assertThat(scoreOfTheSameDocument(plain, 0)).isNotEqualTo(scoreOfTheSameDocument(plain, 40));
    }

    /** The score of one document for "garden" in an index that also holds {@code others} documents, half deleted. */
    private static float scoreOfTheSameDocument(Similarity similarity, int others) throws IOException {
        try (var dir = new ByteBuffersDirectory()) {
            var config = new IndexWriterConfig(new EnglishAnalyzer()).setSimilarity(similarity);
            try (var writer = new IndexWriter(dir, config)) {
                writer.addDocument(doc("the", "a small garden by the river"));
                for (int i = 0; i < others; i++) {
                    writer.addDocument(doc("other" + i, "garden ".repeat(1 + i % 5) + "and many other longer words " + i));
                    if (i % 2 == 0) {
                        writer.deleteDocuments(new Term("id", "other" + i));
                    }
                }
            }
            try (var reader = DirectoryReader.open(dir)) {
                var searcher = new IndexSearcher(reader);
                searcher.setSimilarity(similarity);
                var hits = searcher.search(new TermQuery(new Term("text", "garden")), 100);
                for (var hit : hits.scoreDocs) {
                    if (searcher.storedFields().document(hit.doc).get("id").equals("the")) {
                        return hit.score;
                    }
                }
                throw new AssertionError("the document was not found");
            }
        }
    }

    private static Document doc(String id, String text) {
        var doc = new Document();
        doc.add(new StringField("id", id, Field.Store.YES));
        doc.add(new TextField("text", text, Field.Store.NO));
        return doc;
    }
}
