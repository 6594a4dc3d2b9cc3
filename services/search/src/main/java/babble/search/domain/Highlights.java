package babble.search.domain;

import babble.search.store.ItemDocuments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;

/**
 * Highlights as character offsets, no markup: Lucene's UnifiedHighlighter finds where the query matched in a
 * hit's title and text (offsets kept in the index), and a window of the text around the densest run of matches
 * becomes the hit's passage (all of the text when it is short).
 */
public final class Highlights {
    /** The longest passage of text a hit shows. */
    public static final int WINDOW = 300;
    /** Context kept before the first match of the window. */
    static final int LEAD = 60;
    /** Text beyond this is not looked at for matches (post bodies are at most 40,000 characters). */
    static final int MAX_LENGTH = 50_000;

    /** The fields highlighted, in the order of the values given per doc. */
    private static final String[] FIELDS = {ItemDocuments.TITLE, ItemDocuments.TEXT};

    private final Analyzer analyzer;

    public Highlights(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** A piece of text with the [start, end) offsets of the matched words in it. */
    public record Snippet(String text, List<int[]> spans) {
        static final Snippet NONE = new Snippet("", List.of());
    }

    /**
     * Per field (title, text), the snippet of each doc in {@code docs}' order; null where a doc has no such field.
     * {@code items} are the docs' states, in the same order: their title and text are the fields' stored values,
     * so the highlighter need not read (and decompress) the stored fields a second time.
     */
    public Map<String, Object[]> of(IndexSearcher searcher, Query query, int[] docs, List<ItemState> items)
            throws IOException {
        var values = new HashMap<Integer, CharSequence[]>(docs.length * 2);
        for (int i = 0; i < docs.length; i++) {
            values.put(docs[i], new CharSequence[] {
                limited(ItemDocuments.title(items.get(i))), limited(ItemDocuments.text(items.get(i)))});
        }
        var highlighter = new OffsetHighlighter(UnifiedHighlighter.builder(searcher, analyzer)
                .withBreakIterator(WholeBreakIterator::new)
                .withFormatter(new OffsetFormatter(false))
                .withMaxLength(MAX_LENGTH), values);
        return highlighter.highlight(FIELDS, query, docs);
    }

    /** As the highlighter reads a stored value: at most {@link #MAX_LENGTH} characters of it. */
    private static String limited(String value) {
        return value == null || value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH);
    }

    /** Exposes the highlighter's answers as objects (the formatter's snippets), not strings. */
    private static final class OffsetHighlighter extends UnifiedHighlighter {
        private static final PassageFormatter WHOLE = new OffsetFormatter(true);
        /** Doc → the values of {@link #FIELDS}, from the hits' states. */
        private final Map<Integer, CharSequence[]> values;

        OffsetHighlighter(Builder builder, Map<Integer, CharSequence[]> values) {
            super(builder);
            this.values = values;
        }

        /** The values of the docs asked for, as the default does (in doc order, up to the cache threshold). */
        @Override
        protected List<CharSequence[]> loadFieldValues(String[] fields, DocIdSetIterator docIter,
                                                       int cacheCharsThreshold) throws IOException {
            int[] given = new int[fields.length]; // the highlighter asks in an order of its own
            for (int f = 0; f < fields.length; f++) {
                given[f] = Arrays.asList(FIELDS).indexOf(fields[f]);
                if (given[f] < 0) {
                    throw new IllegalArgumentException("field " + fields[f] + " is not highlighted");
                }
            }
            var loaded = new ArrayList<CharSequence[]>();
            int chars = 0;
            for (int doc = docIter.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docIter.nextDoc()) {
                CharSequence[] docValues = new CharSequence[fields.length];
                for (int f = 0; f < fields.length; f++) {
                    docValues[f] = values.get(doc)[given[f]];
                    chars += docValues[f] == null ? 0 : docValues[f].length();
                }
                loaded.add(docValues);
                if (chars > cacheCharsThreshold || cacheCharsThreshold == 0) {
                    break;
                }
            }
            return loaded;
        }

        /** A title is shown whole, so its offsets are into all of it, however long. */
        @Override
        protected PassageFormatter getFormatter(String field) {
            return field.equals(ItemDocuments.TITLE) ? WHOLE : super.getFormatter(field);
        }

        Map<String, Object[]> highlight(String[] fields, Query query, int[] docs) throws IOException {
            int[] onePassage = new int[fields.length];
            Arrays.fill(onePassage, 1);
            return highlightFieldsAsObjects(fields, query, docs, onePassage);
        }
    }

    /** With the whole-text break iterator there is one passage: all of the text, with every match in it. */
    static final class OffsetFormatter extends PassageFormatter {
        private final boolean whole;

        /** {@code whole}: all of the text, however long; else a window of it. */
        OffsetFormatter(boolean whole) {
            this.whole = whole;
        }

        @Override
        public Object format(Passage[] passages, String content) {
            var matches = new ArrayList<int[]>();
            for (Passage passage : passages) {
                for (int i = 0; i < passage.getNumMatches(); i++) {
                    matches.add(new int[] {passage.getMatchStarts()[i], passage.getMatchEnds()[i]});
                }
            }
            return whole ? new Snippet(content, merged(matches)) : window(content, merged(matches));
        }
    }

    /** Sorted spans, overlapping or touching ones made one (a phrase and its words, say). */
    static List<int[]> merged(List<int[]> spans) {
        var sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.<int[]>comparingInt(s -> s[0]).thenComparingInt(s -> s[1]));
        var merged = new ArrayList<int[]>();
        for (int[] span : sorted) {
            int[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && span[0] <= last[1]) {
                last[1] = Math.max(last[1], span[1]);
            } else {
                merged.add(new int[] {span[0], span[1]});
            }
        }
        return merged;
    }

    /**
     * The text itself when it is at most {@link #WINDOW} long; else a window of it that holds the most matches
     * (from a little before the first), cut at spaces, with the matches inside it.
     */
    static Snippet window(String content, List<int[]> matches) {
        if (content.length() <= WINDOW) {
            return new Snippet(content, matches);
        }
        int first = densestRunStart(matches);
        int start = 0;
        if (first >= 0 && matches.get(first)[1] > WINDOW) {
            int match = matches.get(first)[0];
            start = Math.max(0, match - LEAD);
            if (start > 0 && !Character.isWhitespace(content.charAt(start - 1))) {
                int space = indexOfSpace(content, start, match); // start at a word
                start = space >= 0 ? space + 1 : match;
            }
        }
        int end = Math.min(content.length(), start + WINDOW);
        if (end < content.length()) {
            int lastSpace = lastIndexOfSpace(content, start, end);
            int mustKeep = first >= 0 ? Math.min(matches.get(first)[1], end) : start;
            if (lastSpace > mustKeep) {
                end = lastSpace;
            } else if (Character.isLowSurrogate(content.charAt(end))) {
                end--; // never cut a character in two
            }
        }
        while (start < end && Character.isWhitespace(content.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(content.charAt(end - 1))) {
            end--;
        }
        var inside = new ArrayList<int[]>();
        for (int[] m : matches) {
            if (m[0] >= start && m[1] <= end) {
                inside.add(new int[] {m[0] - start, m[1] - start});
            }
        }
        return new Snippet(content.substring(start, end), inside);
    }

    /** The index of the match that starts the window holding the most matches; -1 when there are none. */
    private static int densestRunStart(List<int[]> matches) {
        int best = -1;
        int bestCount = 0;
        for (int i = 0, j = 0; i < matches.size(); i++) {
            j = Math.max(j, i + 1); // a match longer than the window still counts itself
            while (j < matches.size() && matches.get(j)[1] <= matches.get(i)[0] - LEAD + WINDOW) {
                j++;
            }
            if (j - i > bestCount) {
                best = i;
                bestCount = j - i;
            }
        }
        return best;
    }

    private static int indexOfSpace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfSpace(String s, int from, int to) {
        for (int i = to; i > from; i--) {
            if (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
