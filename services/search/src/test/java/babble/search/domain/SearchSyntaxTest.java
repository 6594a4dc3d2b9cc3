package babble.search.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.platform.problem.InvalidField;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.junit.jupiter.api.Test;

/** The query language's policy: what {@code q} may say, and what every kind of input becomes. */
class SearchSyntaxTest {
    private final SearchSyntax syntax = new SearchSyntax(new EnglishAnalyzer());

    private String parsed(String q) {
        return syntax.parse(q).toString();
    }

    @Test
    void everyWordIsRequiredInTheTitleOrTheTextStemmedAsEnglish() {
        assertThat(parsed("Gardens growing")).isEqualTo(
                "+((title:garden)^2.0 text:garden) +((title:grow)^2.0 text:grow)");
    }

    @Test
    void phrasesExclusionsTagsAndAuthorsKeepTheirMeaning() {
        assertThat(parsed("\"green gardens\" -weeds tag:Python author:@Alice")).isEqualTo(
                "+((title:\"green garden\")^2.0 text:\"green garden\") -((title:weed)^2.0 text:weed) +tag:python +author:alice");
        assertThat(parsed("author:\"u/Spez\"")).isEqualTo("author:u/spez");
    }

    @Test
    void anotherFieldIsRefusedByName() {
        assertThatThrownBy(() -> syntax.parse("title:gardens"))
                .isInstanceOf(InvalidField.class).hasMessageContaining("q").hasMessageContaining("'title:'");
        assertThatThrownBy(() -> syntax.parse("a:b")).isInstanceOf(InvalidField.class).hasMessageContaining("'a:'");
        assertThatThrownBy(() -> syntax.parse("*:*")).isInstanceOf(InvalidField.class);
    }

    @Test
    void blankOrOverlongQueriesAreRefused() {
        assertThatThrownBy(() -> syntax.parse(null)).isInstanceOf(InvalidField.class).hasMessageContaining("q");
        assertThatThrownBy(() -> syntax.parse("   ")).isInstanceOf(InvalidField.class).hasMessageContaining("q");
        assertThatThrownBy(() -> syntax.parse("a".repeat(501))).isInstanceOf(InvalidField.class)
                .hasMessageContaining("500");
        assertThat(syntax.parse("a".repeat(500))).isNotNull();
    }

    @Test
    void wildcardsFuzzyRegexpsAndRangesArePlainWords() {
        for (String q : new String[] {"garden*", "gard?n", "garden~2", "/gar.*den/", "[garden TO gardens]", "*garden"}) {
            Query query = syntax.parse(q);
            assertThat(expandsTerms(query)).as(q + " → " + query).isFalse();
        }
        assertThat(parsed("garden*")).isEqualTo("(title:garden)^2.0 text:garden");
        assertThat(parsed("tag:pyth*")).isEqualTo("tag:pyth");
    }

    @Test
    void invalidSyntaxIsSearchedAsPlainWords() {
        assertThat(parsed("C++ (a AND")).isEqualTo("(title:c)^2.0 text:c"); // "a" and "and" are stop words
        assertThat(parsed("\"unclosed phrase")).isEqualTo("+((title:unclos)^2.0 text:unclos) +((title:phrase)^2.0 text:phrase)");
        assertThat(parsed("tag:")).isEqualTo("(title:tag)^2.0 text:tag");
    }

    @Test
    void sloppyPhrasesAreBounded() {
        assertThat(parsed("\"green garden\"~1000")).contains("~" + SearchSyntax.MAX_SLOP);
    }

    @Test
    void onlyExclusionsMatchEverythingElse() {
        Query query = syntax.parse("-spam");
        assertThat(query).isInstanceOf(BooleanQuery.class);
        assertThat(((BooleanQuery) query).clauses()).anyMatch(c -> c.query() instanceof MatchAllDocsQuery);
    }

    /** True when the query holds a query that expands into many terms (prefix, wildcard, fuzzy, regexp, range). */
    private static boolean expandsTerms(Query query) {
        boolean[] found = {false};
        query.visit(new QueryVisitor() {
            @Override
            public void visitLeaf(Query leaf) {
                if (leaf instanceof MultiTermQuery || leaf instanceof FuzzyQuery) {
                    found[0] = true;
                }
            }

            @Override
            public void consumeTermsMatching(Query leaf, String field,
                                             java.util.function.Supplier<org.apache.lucene.util.automaton.ByteRunAutomaton> automaton) {
                found[0] = true;
            }

            @Override
            public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        return found[0];
    }
}
