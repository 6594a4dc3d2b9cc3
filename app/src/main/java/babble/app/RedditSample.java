package babble.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated data in seed 004's reddit format (one JSON object per line, as mongoexport writes it), to try the import
 * with and to test and measure it: {@code babble sample reddit}, the end-to-end tests and the benchmark all use
 * this class (it needs only the JDK and Jackson, so modules that take {@code app} without its dependencies can).
 * No third-party data: titles and bodies are made from a word list of its own.
 *
 * <p>The file is the same for the same arguments. Each good line is a post of its own (a unique {@code name},
 * created a minute after the one before); fields are written the several ways the data set writes them
 * ({@code created_utc} as an integer, a float or a string; booleans as {@code "True"}/{@code "False"}; missing
 * authors and flairs). The broken lines are spread evenly through the file and are of {@link #BROKEN_KINDS} kinds,
 * each of which the import skips.
 */
public final class RedditSample {
    /** What a generated file holds: its lines, the posts among them, the broken ones, its size in bytes. */
    public record Summary(long lines, long posts, long broken, long bytes) {
    }

    /** The kinds of broken line, in the order they come round. */
    public static final List<String> BROKEN_KINDS = List.of("not JSON", "not an object", "no name", "no title",
            "empty title", "bad created_utc", "body too long", "bad is_self");
    /** The flairs (topics) posts carry, and how often one has none. */
    public static final List<String> FLAIRS = List.of("Discussion", "Ask Science", "Science", "News", "Java",
            "Gardening", "Travel & Food", "Meta");
    /** The tags those flairs become on imported posts (the import's rule: lower case, other characters '-'). */
    public static final List<String> FLAIR_TAGS = List.of("discussion", "ask-science", "science", "news", "java",
            "gardening", "travel-food", "meta");
    /** When the first post was created: 2012-01-01 in epoch seconds; each line adds a minute. */
    public static final long FIRST_CREATED = 1_325_376_000L;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal QUARTER = new BigDecimal("0.25");
    private static final String[] WORDS = ("""
            time year people way day man thing woman life child world school state family student group country problem
            hand part place case week company system program question work government number night point home water room
            mother area money story fact month lot right study book eye job word business issue side kind head house
            service friend father power hour game line end member law car city community name president team minute idea
            kid body information back parent face others level office door health person art war history party result
            change morning reason research girl guy moment air teacher force education garden coffee river mountain
            bread music garbage collector compiler server database query index thread memory socket packet router cloud
            tomato seed soil harvest recipe oven pepper lemon train ticket museum beach island bridge castle forest
            rust python open source guitar learning science travel
            """).strip().split("\\s+");
    private static final String[] AUTHORS = {"spez", "gardener_42", "jvm_nerd", "traveller", "quiet_reader", "kn0w",
            "AutoModerator", "lemon-tree", "night_owl", "Curious_George"};

    private RedditSample() {
    }

    /** Writes {@code lines} lines to {@code file}, {@code broken} of them broken; answers what it wrote. */
    public static Summary write(Path file, int lines, int broken, long seed) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            return write(out, lines, broken, seed);
        }
    }

    /** The same to a stream (left open). */
    public static Summary write(OutputStream out, int lines, int broken, long seed) throws IOException {
        if (lines < 0 || broken < 0 || broken > lines) {
            throw new IllegalArgumentException("0 <= broken (" + broken + ") <= lines (" + lines + ") is needed");
        }
        var random = new SplittableRandom(seed);
        var counting = new CountingStream(out);
        Writer writer = new BufferedWriter(new OutputStreamWriter(counting, StandardCharsets.UTF_8), 64 * 1024);
        long brokenSoFar = 0;
        for (int i = 0; i < lines; i++) {
            // The k-th broken line sits at floor(k * lines / broken): spread evenly, never two at once.
            boolean isBroken = broken > 0 && brokenSoFar < broken && (long) i * broken >= brokenSoFar * lines;
            String line = isBroken ? brokenLine((int) (brokenSoFar++ % BROKEN_KINDS.size()), i, random) : post(i, seed, random);
            writer.write(line);
            writer.write('\n');
        }
        writer.flush();
        return new Summary(lines, lines - broken, broken, counting.bytes);
    }

    /** The numbers (from 1) of the broken lines among {@code lines} when {@code broken} are: where the import skips. */
    public static List<Long> brokenLineNumbers(int lines, int broken) {
        var numbers = new java.util.ArrayList<Long>(broken);
        for (long k = 0; k < broken; k++) {
            numbers.add((k * lines + broken - 1) / broken + 1); // the first i with i * broken >= k * lines, from 1
        }
        return numbers;
    }

    /** One post as a line; {@code i} makes its name and created time. */
    static String post(int i, long seed, SplittableRandom random) {
        boolean self = random.nextInt(3) > 0;
        var post = new LinkedHashMap<String, Object>();
        String id = Long.toString(Math.abs(seed % 1_000_000) * 100_000_000L + i, 36);
        post.put("_id", Map.of("$oid", String.format("%024x", (long) i)));
        post.put("id", id);
        post.put("name", "t3_" + id);
        post.put("title", sentence(random, 4 + random.nextInt(9), true));
        String body = self && random.nextInt(5) > 0 ? paragraphs(random) : "";
        post.put("selftext", body);
        post.put("url", self ? "https://www.reddit.com/r/babble/comments/" + id + "/" : "https://example.org/"
                + WORDS[random.nextInt(WORDS.length)] + "/" + id);
        post.put("permalink", "/r/babble/comments/" + id + "/");
        post.put("author", random.nextInt(20) == 0 ? "[deleted]" : AUTHORS[random.nextInt(AUTHORS.length)]);
        int ups = random.nextInt(5_000);
        int downs = random.nextInt(200);
        post.put("score", random.nextInt(10) == 0 ? Integer.toString(ups - downs) : ups - downs);
        post.put("ups", ups);
        post.put("downs", downs);
        post.put("num_comments", random.nextInt(300));
        long created = FIRST_CREATED + 60L * i;
        post.put("created_utc", switch (i % 3) {
            case 0 -> created;
            case 1 -> BigDecimal.valueOf(created).add(QUARTER); // written 1325376060.25, as the data set does
            default -> Long.toString(created);
        });
        post.put("link_flair_text", random.nextInt(8) == 0 ? null : FLAIRS.get(random.nextInt(FLAIRS.size())));
        post.put("domain", self ? "self.babble" : "example.org");
        post.put("over_18", random.nextInt(50) == 0 ? "True" : "False");
        post.put("is_self", self ? "True" : "False");
        post.put("subreddit", "babble");
        return json(post);
    }

    /** A broken line of kind {@code kind} (see {@link #BROKEN_KINDS}). */
    static String brokenLine(int kind, int i, SplittableRandom random) {
        var line = new LinkedHashMap<String, Object>();
        line.put("name", "t3_broken" + i);
        line.put("title", sentence(random, 5, true));
        line.put("created_utc", FIRST_CREATED + 60L * i);
        switch (kind) {
            case 0 -> {
                String whole = json(line);
                return whole.substring(0, whole.length() / 2); // cut off mid-way
            }
            case 1 -> {
                return "[" + json(line) + "]";
            }
            case 2 -> line.remove("name");
            case 3 -> line.remove("title");
            case 4 -> line.put("title", "   ");
            case 5 -> line.put("created_utc", "the day before yesterday");
            case 6 -> line.put("selftext", "lorem ".repeat(7_000) + "!"); // 42,001 characters, over the 40,000
            case 7 -> line.put("is_self", "Maybe");
            default -> throw new IllegalArgumentException("no broken line of kind " + kind);
        }
        return json(line);
    }

    private static String sentence(SplittableRandom random, int words, boolean title) {
        var text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (w == 0) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            text.append(w == 0 ? "" : " ").append(word);
        }
        return text.append(title ? (random.nextInt(3) == 0 ? "?" : "") : ".").toString();
    }

    private static String paragraphs(SplittableRandom random) {
        var text = new StringBuilder();
        int count = 1 + random.nextInt(3);
        for (int p = 0; p < count; p++) {
            if (p > 0) {
                text.append("\n\n");
            }
            int sentences = 1 + random.nextInt(4);
            for (int s = 0; s < sentences; s++) {
                text.append(s == 0 ? "" : " ").append(sentence(random, 6 + random.nextInt(10), false));
            }
        }
        return text.toString();
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingStream extends FilterOutputStream {
        long bytes;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int offset, int length) throws IOException {
            out.write(b, offset, length);
            bytes += length;
        }
    }
}
