package babble.jobs.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.testing.TestStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private record Read(String text, boolean tooLong, long end) {
    }

    private static List<Read> read(String content, long from, int maxLine) throws IOException {
        Path file = TestStores.tempDir().resolve("lines");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        var lines = new ArrayList<Read>();
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var reader = new LineReader(channel, from, bytes.length, maxLine);
            LineReader.Line line;
            while ((line = reader.next()) != null) {
                lines.add(new Read(new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8), line.tooLong(), line.end()));
            }
        }
        return lines;
    }

    @Test
    void linesEndAtNewlinesWithTheOffsetAfterEachAndALastLineNeedsNone() throws IOException {
        assertThat(read("one\r\ntwo\n\nthree", 0, 100)).containsExactly(
                new Read("one", false, 5), new Read("two", false, 9), new Read("", false, 10), new Read("three", false, 15));
        assertThat(read("one\n", 0, 100)).containsExactly(new Read("one", false, 4));
        assertThat(read("", 0, 100)).isEmpty();
    }

    @Test
    void aResumedReadStartsAtItsOffset() throws IOException {
        assertThat(read("one\ntwo\nthree\n", 4, 100)).containsExactly(new Read("two", false, 8), new Read("three", false, 14));
    }

    @Test
    void aLineOverTheLimitIsReportedWithoutItsBytesAndTheNextOneIsWhole() throws IOException {
        String longLine = "x".repeat(200_000);
        var lines = read("short\n" + longLine + "\nafter ✓\n", 0, 1_000);

        assertThat(lines).containsExactly(new Read("short", false, 6), new Read("", true, 200_007),
                new Read("after ✓", false, 200_007 + "after ✓\n".getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void linesLongerThanTheBufferAreWhole() throws IOException {
        String line = "é".repeat(100_000);
        assertThat(read(line + "\n" + line, 0, 1024 * 1024)).extracting(Read::text).containsExactly(line, line);
    }

    @Test
    void countsLinesTheWayTheReaderReadsThem() throws IOException {
        for (String content : List.of("", "a", "a\n", "a\nb", "\n", "\n\n", "a\r\nb\r\n")) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            assertThat(LineReader.count(new ByteArrayInputStream(bytes), bytes.length)).as("'%s'", content)
                    .isEqualTo(read(content, 0, 100).size());
        }
    }
}
