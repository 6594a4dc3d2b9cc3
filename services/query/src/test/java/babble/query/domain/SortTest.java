package babble.query.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.contracts.api.Hot;
import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hot rank and the cursors of each order. */
class SortTest {
    private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void hotGrowsWithTheOrderOfMagnitudeOfTheScoreAndWithNewness() {
        assertThat(Hot.rank(10, T) - Hot.rank(1, T)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Hot.rank(-10, T)).isLessThan(Hot.rank(0, T));
        assertThat(Hot.rank(0, T.plusSeconds(45_000)) - Hot.rank(0, T)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // A post 12.5 hours newer ranks like an older one with ten times the score.
        assertThat(Hot.rank(1, T.plusSeconds(45_000))).isCloseTo(Hot.rank(10, T), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aCursorRoundTripsExactlyAndBelongsToItsSort() {
        var id = UUID.randomUUID();
        var hot = new Sort.Position(Hot.rank(7, T), 7, id);
        assertThat(Sort.HOT.position(Sort.HOT.cursor(hot))).isEqualTo(new Sort.Position(hot.hot(), 0, id));
        assertThat(Sort.TOP.position(Sort.TOP.cursor(hot))).isEqualTo(new Sort.Position(0, 7, id));
        assertThat(Sort.NEW.position(Sort.NEW.cursor(hot))).isEqualTo(new Sort.Position(0, 0, id));
        assertThatThrownBy(() -> Sort.NEW.position(Sort.HOT.cursor(hot))).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> Sort.HOT.position("made-up")).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> Sort.TOP.position(Cursors.encode("top|x|" + id))).isInstanceOf(InvalidField.class);
        assertThat(Sort.HOT.position(null)).isNull();
        assertThat(Sort.parse(null)).isEqualTo(Sort.HOT);
        assertThat(Sort.parse("top")).isEqualTo(Sort.TOP);
        assertThatThrownBy(() -> Sort.parse("best")).isInstanceOf(InvalidField.class);
    }
}
