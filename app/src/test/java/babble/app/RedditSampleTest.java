package babble.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedditSampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String generate(int lines, int broken, long seed) throws IOException {
        var out = new ByteArrayOutputStream();
        var summary = RedditSample.write(out, lines, broken, seed);
        assertThat(summary).isEqualTo(new RedditSample.Summary(lines, lines - broken, broken, out.size()));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The line numbers (from 1) of lines that are not a whole post: not JSON, not an object, or a field amiss. */
    private static List<Integer> notPosts(String file) {
        var bad = new ArrayList<Integer>();
        String[] lines = file.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            try {
                JsonNode line = JSON.readTree(lines[i]);
                boolean post = line.isObject() && line.hasNonNull("name") && !line.path("title").asText().isBlank()
                        && (line.path("created_utc").isNumber() || line.path("created_utc").asText().matches("[0-9]+(\\.[0-9]+)?")) && line.path("selftext").asText().length() <= 40_000
                        && line.path("is_self").asText().matches("True|False");
                if (!post) {
                    bad.add(i + 1);
                }
            } catch (IOException e) {
                bad.add(i + 1);
            }
        }
        return bad;
    }

    @Test
    void writesTheLinesAskedForWithTheBrokenOnesSpreadEvenly() throws IOException {
        String file = generate(1_000, 16, 7);

        assertThat(file).endsWith("\n");
        assertThat(file.split("\n")).hasSize(1_000);
        List<Integer> bad = notPosts(file);
        assertThat(bad).hasSize(16);
        assertThat(bad).map(Integer::longValue).isEqualTo(RedditSample.brokenLineNumbers(1_000, 16));
        assertThat(bad.getFirst()).isEqualTo(1);
        for (int k = 1; k < bad.size(); k++) {
            assertThat(bad.get(k) - bad.get(k - 1)).as("gap before broken line %d", k).isBetween(62, 63);
        }
    }

    @Test
    void everyGoodLineIsAPostOfItsOwnWrittenTheWaysTheDataSetWritesThem() throws IOException {
        String file = generate(300, 0, 3);

        var names = new HashSet<String>();
        var createdKinds = new HashSet<String>();
        var flairs = new HashSet<String>();
        for (String text : file.split("\n")) {
            JsonNode line = JSON.readTree(text);
            names.add(line.get("name").asText());
            createdKinds.add(line.get("created_utc").getNodeType() + (line.get("created_utc").isFloatingPointNumber() ? "float" : ""));
            flairs.add(line.get("link_flair_text").isNull() ? "none" : line.get("link_flair_text").asText());
            assertThat(line.get("is_self").asText()).isIn("True", "False");
            assertThat(line.get("over_18").asText()).isIn("True", "False");
        }
        assertThat(names).hasSize(300).allSatisfy(name -> assertThat(name).startsWith("t3_"));
        assertThat(createdKinds).containsExactlyInAnyOrder("NUMBER", "NUMBERfloat", "STRING");
        assertThat(flairs).contains("none").containsAll(RedditSample.FLAIRS);
    }

    @Test
    void theFlairTagsAreWhatTheImportMakesOfTheFlairs() {
        assertThat(RedditSample.FLAIRS.stream().map(f -> f.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")))
                .containsExactlyElementsOf(RedditSample.FLAIR_TAGS);
    }

    @Test
    void theSameArgumentsWriteTheSameFileAndAnotherSeedAnother() throws IOException {
        assertThat(generate(200, 10, 1)).isEqualTo(generate(200, 10, 1)).isNotEqualTo(generate(200, 10, 2));
        assertThat(generate(0, 0, 1)).isEmpty();
    }

    @Test
    void everyKindOfBrokenLineComesRound() {
        var random = new java.util.SplittableRandom(1);
        for (int kind = 0; kind < RedditSample.BROKEN_KINDS.size(); kind++) {
            String line = RedditSample.brokenLine(kind, 5, random);
            assertThat(line).doesNotContain("\n");
            assertThat(notPosts(line + "\n")).as(RedditSample.BROKEN_KINDS.get(kind)).containsExactly(1);
        }
    }
}
