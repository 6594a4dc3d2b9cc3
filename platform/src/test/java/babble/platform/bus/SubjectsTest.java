package babble.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectsTest {
    @Test
    void literalWordsMatchExactly() {
        assertThat(Subjects.matches("events.room.created.r1", "events.room.created.r1")).isTrue();
        assertThat(Subjects.matches("events.room.created.r1", "events.room.created.r2")).isFalse();
        assertThat(Subjects.matches("events.room.created", "events.room.created.r1")).isFalse();
        assertThat(Subjects.matches("events.room.created.r1", "events.room.created")).isFalse();
        assertThat(Subjects.matches("events.room", "events.rooms")).isFalse();
    }

    @Test
    void aStarMatchesExactlyOneWord() {
        assertThat(Subjects.matches("events.*.created.r1", "events.room.created.r1")).isTrue();
        assertThat(Subjects.matches("events.room.*", "events.room.created.r1")).isFalse();
    }

    @Test
    void aTrailingGreaterThanMatchesOneOrMoreWords() {
        assertThat(Subjects.matches("events.room.>", "events.room.member-joined.r1")).isTrue();
        assertThat(Subjects.matches("events.>", "events.room.created.r1")).isTrue();
        assertThat(Subjects.matches("events.room.>", "events.room")).isFalse();
        assertThat(Subjects.matches("events.room.>", "events.message.created.r1")).isFalse();
    }

    @Test
    void theStreamOfAFilterIsItsFirstWordAfterEvents() {
        assertThat(Subjects.streamOf("events.room.>")).isEqualTo("room");
        assertThat(Subjects.streamOf("events.message.created.*")).isEqualTo("message");
        assertThat(Subjects.streamOf("events.>")).isNull();
    }
}
