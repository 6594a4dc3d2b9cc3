package babble.search.domain;

import babble.platform.problem.InvalidField;
import babble.search.store.ItemDocuments;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * The query language of {@code q} (API.md, "Topics"): Lucene's classic syntax with every word required, words
 * and "phrases" matched in the title (boosted) and the text as English, {@code -excluded}, and {@code tag:} and
 * {@code author:} as exact names; any other {@code field:} is a 422 naming it. Wildcards, fuzzy, regular
 * expressions and ranges are read as plain words, so no query can expand into thousands of terms. Text that is
 * not valid syntax ({@code C++ (a AND}) is searched as plain words.
 */
public final class SearchSyntax {
    public static final int MAX_LENGTH = 500;
    static final float TITLE_BOOST = 2f;
    static final int MAX_SLOP = 10;
    private static final Pattern OPERATOR_WORDS = Pattern.compile("\\b(AND|OR|NOT)\\b");

    private final Analyzer analyzer;

    public SearchSyntax(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** The query {@code q} asks for; 422 on {@code q} when it is blank, too long or names an unknown field. */
    public Query parse(String q) {
        if (q == null || q.isBlank()) {
            throw new InvalidField("q", "is required");
        }
        if (q.codePointCount(0, q.length()) > MAX_LENGTH) {
            throw new InvalidField("q", "must be at most " + MAX_LENGTH + " characters");
        }
        try {
            return findable(parser().parse(q));
        } catch (ParseException e) {
            return plainWords(q);
        }
    }

    private Query plainWords(String q) {
        // Escaping leaves AND, OR and NOT as operators; lowercased they are words (stop words, in English).
        String words = OPERATOR_WORDS.matcher(QueryParser.escape(q)).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
        try {
            return findable(parser().parse(words));
        } catch (ParseException e) {
            throw new InvalidField("q", "cannot be searched: " + e.getMessage());
        }
    }

    /** A query of exclusions only ({@code -spam}) matches everything else, not nothing. */
    private static Query findable(Query query) {
        if (query instanceof BooleanQuery bool && !bool.clauses().isEmpty()
                && bool.clauses().stream().allMatch(c -> c.occur() == Occur.MUST_NOT)) {
            var builder = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.MUST);
            bool.clauses().forEach(builder::add);
            return builder.build();
        }
        return query;
    }

    /** A parser holds state while parsing: one per query. */
    private Parser parser() {
        var parser = new Parser(analyzer);
        parser.setDefaultOperator(QueryParser.Operator.AND);
        return parser;
    }

    /** The classic parser, with the fields and term kinds limited as the class says. */
    private static final class Parser extends MultiFieldQueryParser {
        Parser(Analyzer analyzer) {
            super(new String[] {ItemDocuments.TITLE, ItemDocuments.TEXT}, analyzer,
                    Map.of(ItemDocuments.TITLE, TITLE_BOOST));
        }

        @Override
        protected Query getFieldQuery(String field, String text, boolean quoted) throws ParseException {
            return field == null ? super.getFieldQuery(null, text, quoted) : exactName(field, text);
        }

        @Override
        protected Query getFieldQuery(String field, String text, int slop) throws ParseException {
            return field == null ? super.getFieldQuery(null, text, Math.min(slop, MAX_SLOP)) : exactName(field, text);
        }

        @Override
        protected Query getFuzzyQuery(String field, String term, float minSimilarity) throws ParseException {
            return getFieldQuery(field, term, false);
        }

        @Override
        protected Query getPrefixQuery(String field, String term) throws ParseException {
            return getFieldQuery(field, term, false);
        }

        @Override
        protected Query getWildcardQuery(String field, String term) throws ParseException {
            return getFieldQuery(field, term, false);
        }

        @Override
        protected Query getRegexpQuery(String field, String term) throws ParseException {
            return getFieldQuery(field, term, false);
        }

        @Override
        protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
                                      boolean endInclusive) throws ParseException {
            String words = (part1 == null ? "" : part1) + " " + (part2 == null ? "" : part2);
            return getFieldQuery(field, words.strip(), false);
        }

        private static Query exactName(String field, String text) {
            String indexed = switch (field) {
                case "tag" -> ItemDocuments.TAG;
                case "author" -> ItemDocuments.AUTHOR;
                default -> throw new InvalidField("q", "has an unknown field '" + field
                        + ":' (only tag: and author: narrow a search; put other text in quotes)");
            };
            String name = ItemDocuments.normalize(text);
            return name.isEmpty() ? null : new TermQuery(new Term(indexed, name));
        }
    }
}
