package babble.messages.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MentionsTest {

    @Test
    void namesAreFoundInAnyCaseOnceEachInOrder() {
        assertThat(Mentions.names("@Ann and @bob_2, then @ann again")).containsExactly("ann", "bob_2");
    }

    @Test
    void anAtInsideAWordOrAnEmailAddressNamesNoOne() {
        assertThat(Mentions.names("mail ann@example.org or x@bob")).isEmpty();
        assertThat(Mentions.names("@@ann")).isEmpty();
    }

    @Test
    void sentencePunctuationAfterANameIsAlsoTriedWithout() {
        assertThat(Mentions.names("thanks @ann.")).containsExactly("ann.", "ann");
        assertThat(Mentions.names("(cc @bob.smith)")).containsExactly("bob.smith");
    }

    @Test
    void namesOutsideTheUsernameRuleAreIgnored() {
        assertThat(Mentions.names("@ab is too short")).isEmpty();
        assertThat(Mentions.names("no at sign")).isEmpty();
        assertThat(Mentions.names(null)).isEmpty();
        assertThat(Mentions.names("@" + "a".repeat(40))).containsExactly("a".repeat(32)); // the first 32 characters
    }

    @Test
    void atMostFiftyNamesAreLookedUp() {
        var text = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            text.append(" @user").append(i);
        }
        assertThat(Mentions.names(text.toString())).hasSize(Mentions.MAX);
    }
}
