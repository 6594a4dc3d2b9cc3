package babble.search.domain;

import static org.assertj.core.api.Assertions.assertThat;

import babble.search.domain.Highlights.Snippet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The passage a hit shows: all of a short text, else a window around the most matches, offsets into it. */
class HighlightsTest {

    private static List<int[]> spans(int[]... spans) {
        return List.of(spans);
    }

    private static String marked(Snippet s) {
        var out = new StringBuilder(s.text());
        for (int i = s.spans().size() - 1; i >= 0; i--) {
            out.insert(s.spans().get(i)[1], "]").insert(s.spans().get(i)[0], "[");
        }
        return out.toString();
    }

    @Test
    void aShortTextIsShownWholeWithEveryMatch() {
        String text = "Tomatoes grow. Later the tomato ripens.";
        Snippet s = Highlights.window(text, spans(new int[] {0, 8}, new int[] {25, 31}));

        assertThat(s.text()).isEqualTo(text);
        assertThat(marked(s)).isEqualTo("[Tomatoes] grow. Later the [tomato] ripens.");
    }

    @Test
    void aLongTextShowsAWindowAroundItsMatchesCutAtSpaces() {
        String text = "filler words ".repeat(60) + "the tomato harvest came early " + "more filler ".repeat(60);
        int at = text.indexOf("tomato");
        Snippet s = Highlights.window(text, spans(new int[] {at, at + 6}));

        assertThat(s.text().length()).isLessThanOrEqualTo(Highlights.WINDOW);
        assertThat(s.text()).doesNotStartWith(" ").doesNotEndWith(" ");
        assertThat(text).contains(s.text());
        assertThat(s.text()).startsWith("filler").endsWith("filler");
        assertThat(s.spans()).hasSize(1);
        assertThat(s.text().substring(s.spans().get(0)[0], s.spans().get(0)[1])).isEqualTo("tomato");
        assertThat(s.spans().get(0)[0]).isGreaterThan(0).isLessThanOrEqualTo(Highlights.LEAD);
    }

    @Test
    void theWindowGoesWhereTheMatchesAreDensest() {
        String text = "apple ".repeat(100) + "pear apple pear " + "plum ".repeat(100);
        int lone = 0;
        int first = text.indexOf("pear");
        int second = text.indexOf("pear", first + 1);
        Snippet s = Highlights.window(text, spans(new int[] {lone, 5}, new int[] {first, first + 4},
                new int[] {second, second + 4}));

        assertThat(s.spans()).hasSize(2);
        assertThat(marked(s)).contains("[pear] apple [pear]");
    }

    @Test
    void withoutMatchesALongTextShowsItsBeginning() {
        String text = "word ".repeat(200);
        Snippet s = Highlights.window(text, List.of());

        assertThat(s.text()).startsWith("word word").hasSizeLessThanOrEqualTo(Highlights.WINDOW);
        assertThat(s.spans()).isEmpty();
    }

    @Test
    void overlappingMatchesBecomeOne() {
        assertThat(Highlights.merged(spans(new int[] {6, 11}, new int[] {0, 5}, new int[] {0, 11})))
                .containsExactly(new int[] {0, 11});
        assertThat(Highlights.merged(spans(new int[] {0, 5}, new int[] {6, 9})))
                .containsExactly(new int[] {0, 5}, new int[] {6, 9});
    }
}
