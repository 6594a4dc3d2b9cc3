package babble.recommend.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.contracts.api.Hot;
import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order of a hot ranking, and the cursors of topic listings and the feed. */
class RankingTest {
    private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void hottestFirstThenTheGreaterIdComparedAsUnsignedBytesLikeTheDatabases() {
        var low = UUID.fromString("10000000-0000-0000-0000-000000000000");
        var high = UUID.fromString("90000000-0000-0000-0000-000000000000"); // negative as a signed long
        var ranked = new ArrayList<>(List.of(new Ranked(low, 1.0), new Ranked(high, 1.0), new Ranked(low, 2.0)));

        ranked.sort(Ranked.HOTTEST_FIRST);

        assertThat(ranked).containsExactly(new Ranked(low, 2.0), new Ranked(high, 1.0), new Ranked(low, 1.0));
    }

    @Test
    void topicCursorsRoundTripExactlyAndBelongToTheirSort() {
        var id = UUID.randomUUID();
        var at = new TopicSort.Position(Hot.rank(7, T), 7, T, id);

        assertThat(TopicSort.HOT.position(TopicSort.HOT.cursor(at))).isEqualTo(new TopicSort.Position(at.hot(), 0, null, id));
        assertThat(TopicSort.NEW.position(TopicSort.NEW.cursor(at))).isEqualTo(new TopicSort.Position(0, 0, T, id));
        assertThat(TopicSort.TOP.position(TopicSort.TOP.cursor(at))).isEqualTo(new TopicSort.Position(0, 7, null, id));
        assertThat(TopicSort.HOT.position(null)).isNull();
        assertThat(TopicSort.parse(null)).isEqualTo(TopicSort.HOT);
        assertThatThrownBy(() -> TopicSort.NEW.position(TopicSort.HOT.cursor(at))).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> TopicSort.HOT.position(Cursors.encode("hot|NaN|" + id))).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> TopicSort.parse("best")).isInstanceOf(InvalidField.class);
    }

    @Test
    void feedCursorsRoundTripAndRefuseAnythingElse() {
        var cursor = new FeedCursor(UUID.randomUUID(), 25, new Ranked(UUID.randomUUID(), Hot.rank(-3, T)));

        assertThat(FeedCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(FeedCursor.decode("")).isNull();
        for (String bad : List.of("feed|x|1|1.0|" + UUID.randomUUID(), "feed|" + UUID.randomUUID() + "|-1|1.0|" + UUID.randomUUID(),
                "feed|" + UUID.randomUUID() + "|1|Infinity|" + UUID.randomUUID(), "hot|1.0|" + UUID.randomUUID())) {
            assertThatThrownBy(() -> FeedCursor.decode(Cursors.encode(bad))).as(bad).isInstanceOf(InvalidField.class);
        }
    }
}
