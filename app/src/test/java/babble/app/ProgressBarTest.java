package babble.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void fillsInProportionRoundingDown() {
        assertThat(ProgressBar.bar(0, 10_000L, 20, 0)).isEqualTo("[....................]");
        assertThat(ProgressBar.bar(5_200, 10_000L, 20, 0)).isEqualTo("[##########..........]");
        assertThat(ProgressBar.bar(9_999, 10_000L, 20, 0)).isEqualTo("[###################.]");
        assertThat(ProgressBar.bar(1, 3L, 10, 0)).isEqualTo("[###.......]");
        assertThat(ProgressBar.percent(5_200, 10_000)).isEqualTo(52);
        assertThat(ProgressBar.percent(9_999, 10_000)).isEqualTo(99);
    }

    @Test
    void fullAndHundredPercentOnlyWhenDone() {
        assertThat(ProgressBar.bar(10_000, 10_000L, 20, 0)).isEqualTo("[####################]");
        assertThat(ProgressBar.percent(10_000, 10_000)).isEqualTo(100);
        assertThat(ProgressBar.bar(12, 10L, 5, 0)).isEqualTo("[#####]");
        assertThat(ProgressBar.percent(12, 10)).isEqualTo(100);
        // An empty room: nothing to do is done.
        assertThat(ProgressBar.bar(0, 0L, 5, 0)).isEqualTo("[#####]");
        assertThat(ProgressBar.percent(0, 0)).isEqualTo(100);
        assertThat(ProgressBar.line("general", "succeeded", 10_000, 10_000L, 1, Duration.ofMillis(3_450), 0))
                .isEqualTo("exporting general  [####################]  100%  10,000/10,000 messages  3.5 s");
    }

    @Test
    void unknownTotalShowsABlockMovingBackAndForth() {
        assertThat(ProgressBar.bar(500, null, 10, 0)).isEqualTo("[###.......]");
        assertThat(ProgressBar.bar(500, null, 10, 1)).isEqualTo("[.###......]");
        assertThat(ProgressBar.bar(500, null, 10, 7)).isEqualTo("[.......###]");
        assertThat(ProgressBar.bar(500, null, 10, 8)).isEqualTo("[......###.]");
        assertThat(ProgressBar.bar(500, null, 10, 14)).isEqualTo("[###.......]");
        assertThat(ProgressBar.bar(500, null, 2, 5)).isEqualTo("[##]");
        assertThat(ProgressBar.line("general", "running", 5_200, null, 1, Duration.ofMillis(1_200), 0))
                .isEqualTo("exporting general  [###.................]  5,200 messages  1.2 s");
    }

    @Test
    void theWholeLine() {
        assertThat(ProgressBar.line("general", "running", 5_200, 10_000L, 1, Duration.ofMillis(1_234), 0))
                .isEqualTo("exporting general  [##########..........]   52%  5,200/10,000 messages  1.2 s");
        assertThat(ProgressBar.line("general", "queued", 0, null, 1, Duration.ofMillis(300), 0))
                .isEqualTo("exporting general  [....................]  queued  0.3 s");
        assertThat(ProgressBar.line("general", "running", 100, 200L, 2, Duration.ofSeconds(2), 0))
                .isEqualTo("exporting general  [##########..........]   50%  100/200 messages  2.0 s  attempt 2");
        assertThat(ProgressBar.line("a-room-with-a-very-long-name-indeed", "running", 0, 1L, 1, Duration.ZERO, 0))
                .startsWith("exporting a-room-with-a-very-lo...  [");
    }

    @Test
    void anImportCountsLinesAndItsUploadBytes() {
        assertThat(ProgressBar.line("importing", "general", "lines", "running", 3_700, 10_000L, 1, Duration.ofMillis(2_100), 0))
                .isEqualTo("importing general  [#######.............]   37%  3,700/10,000 lines  2.1 s");
        assertThat(ProgressBar.transfer("uploading", "posts.jsonl", 2L * 1024 * 1024, 5L * 1024 * 1024, Duration.ofMillis(1_200)))
                .isEqualTo("uploading posts.jsonl  [########............]   40%  2.0 MiB of 5.0 MiB  1.2 s");
    }

    @Test
    void sizesAndCounts() {
        assertThat(ProgressBar.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(ProgressBar.bytes(512)).isEqualTo("512 B");
        assertThat(ProgressBar.bytes(45_312)).isEqualTo("44.3 KiB");
        assertThat(ProgressBar.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
    }
}
