package babble.moderation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.contracts.api.ModerationRules;
import babble.platform.problem.InvalidField;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole-word, case-insensitive matching, and the order in which the rules decide. */
class RulesTest {
    private static final WordRules ORANGE = WordRules.of("words", List.of("orange"));

    @Test
    void aBlockedWordMatchesOnlyAsAWholeWordInAnyCase() {
        assertThat(ORANGE.firstIn("I like Orange!")).contains("orange");
        assertThat(ORANGE.firstIn("ORANGE")).contains("orange");
        assertThat(ORANGE.firstIn("an orange, please")).contains("orange");
        assertThat(ORANGE.firstIn("(orange)")).contains("orange");
        assertThat(ORANGE.firstIn("the orangery")).isEmpty();
        assertThat(ORANGE.firstIn("blood-oranges")).isEmpty();
        assertThat(ORANGE.firstIn("orange2")).isEmpty();
        assertThat(ORANGE.firstIn("naranja orangé")).isEmpty();
        assertThat(WordRules.of("w", List.of("Straße")).firstIn("die STRASSE und die straße")).contains("straße");
    }

    @Test
    void wordsAreCheckedLowerCasedAndDeduplicated() {
        assertThat(WordRules.of("blockedWords", List.of("Kiwi", "kiwi ", "it's", "e-mail")).words())
                .containsExactly("kiwi", "it's", "e-mail");
        assertThatThrownBy(() -> WordRules.of("blockedWords", List.of("two words"))).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> WordRules.of("holdWords", List.of(""))).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> WordRules.of("holdWords", java.util.Collections.nCopies(1, "a.b"))).isInstanceOf(InvalidField.class);
        var many = java.util.stream.IntStream.range(0, WordRules.MAX_WORDS + 1).mapToObj(i -> "w" + i).toList();
        assertThatThrownBy(() -> WordRules.of("blockedWords", many)).isInstanceOf(InvalidField.class);
        assertThat(WordRules.stored(WordRules.of("w", List.of("a", "b-c")).stored()).words()).containsExactly("a", "b-c");
    }

    @Test
    void blockedBeatsHeldAndHoldAllHoldsTheRest() {
        var room = RoomRules.from(new ModerationRules(List.of("kiwi"), List.of("mango"), false));
        assertThat(Verdict.of("kiwi and mango", ORANGE, room)).isEqualTo(new Verdict("rejected", "blocked word: kiwi"));
        assertThat(Verdict.of("Orange mango", ORANGE, room)).isEqualTo(new Verdict("rejected", "blocked word: orange"));
        assertThat(Verdict.of("a mango", ORANGE, room)).isEqualTo(new Verdict("held", "held for review: mango"));
        assertThat(Verdict.of("a pear", ORANGE, room)).isEqualTo(new Verdict("approved", null));
        var holdAll = RoomRules.from(new ModerationRules(null, null, true));
        assertThat(Verdict.of("a pear", ORANGE, holdAll)).isEqualTo(new Verdict("held", "held for review"));
        assertThat(Verdict.of("a pear", WordRules.none(), RoomRules.NONE).status()).isEqualTo("approved");
    }
}
