package babble.jobs.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RedditPostsTest {
    private static RedditPosts.Mapped map(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return RedditPosts.map(bytes, bytes.length);
    }

    @Test
    void flairsBecomeTagsOfThePostRule() {
        assertThat(RedditPosts.tag("Ask Science!")).isEqualTo("ask-science");
        assertThat(RedditPosts.tag("  Café / Crème brûlée  ")).isEqualTo("cafe-creme-brulee");
        assertThat(RedditPosts.tag("C++")).isEqualTo("c");
        assertThat(RedditPosts.tag("!!!")).isNull();
        assertThat(RedditPosts.tag("日本語")).isNull();
        assertThat(RedditPosts.tag("a".repeat(31) + " b c")).isEqualTo("a".repeat(31));
        assertThat(RedditPosts.tag(null)).isNull();
    }

    @Test
    void createdUtcMayBeAnIntegerAFloatOrAString() {
        String line = "{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":%s}";
        assertThat(map(line.formatted("1400000000")).post().createdAt()).isEqualTo(Instant.ofEpochSecond(1_400_000_000L));
        assertThat(map(line.formatted("1400000000.123456789")).post().createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_400_000_000L, 123_456_000));
        assertThat(map(line.formatted("1.4E9")).post().createdAt()).isEqualTo(Instant.ofEpochSecond(1_400_000_000L));
        assertThat(map(line.formatted("\" 1400000000.5 \"")).post().createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_400_000_000L, 500_000_000));
        assertThat(map(line.formatted("-1")).skipped()).isEqualTo("created_utc is out of range");
        assertThat(map(line.formatted("1e20")).skipped()).isEqualTo("created_utc is out of range");
        assertThat(map(line.formatted("true")).skipped()).isEqualTo("created_utc is not a number of seconds");
    }

    @Test
    void aScoreComesFromScoreElseUpsLessDowns() {
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1,\"score\":\"-7\"}").post().score()).isEqualTo(-7);
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1,\"ups\":10,\"downs\":3}").post().score()).isEqualTo(7);
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1}").post().score()).isZero();
    }

    @Test
    void aLinkOnlyForLinkPostsAndOnlyHttp() {
        String line = "{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1,\"is_self\":%s,\"url\":\"%s\"}";
        assertThat(map(line.formatted("false", "https://example.org/a")).post().url()).isEqualTo("https://example.org/a");
        assertThat(map(line.formatted("\"True\"", "https://example.org/a")).post().url()).isNull();
        assertThat(map(line.formatted("\"false\"", "javascript:alert(1)")).post().url()).isNull();
        assertThat(map(line.formatted("false", "not a url at all")).post().url()).isNull();
    }

    @Test
    void anAuthorIsShownAsRedditShowsThem() {
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1,\"author\":\"spez\"}").post().authorName())
                .isEqualTo("u/spez");
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1,\"author\":null}").post().authorName())
                .isEqualTo("u/[deleted]");
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1,\"author\":\"" + "a".repeat(100) + "\"}").post()
                .authorName()).hasSize(64);
    }

    @Test
    void aFieldOfTheWrongShapeSkipsTheLine() {
        assertThat(map("{\"name\":\"t3_x\",\"title\":{\"a\":1},\"created_utc\":1}").skipped()).isEqualTo("title is not text");
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"" + "t".repeat(301) + "\",\"created_utc\":1}").skipped())
                .isEqualTo("title is longer than 300 characters");
        assertThat(map("{\"name\":\"t3_x\",\"title\":\"t\",\"created_utc\":1} trailing").skipped()).startsWith("not JSON");
        assertThat(RedditPosts.isBlank("  \t\r".getBytes(StandardCharsets.UTF_8), 4)).isTrue();
    }
}
