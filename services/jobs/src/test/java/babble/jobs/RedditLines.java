package babble.jobs;

import babble.platform.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file in seed 004's reddit format for the import tests: good lines (each its own post) and broken lines of
 * every kind, with what the import must make of each (the line numbers of the broken ones, from 1).
 */
final class RedditLines {
    private final List<String> lines = new ArrayList<>();
    private final List<Long> broken = new ArrayList<>();
    private int posts;
    private int blank;
    private final String prefix;

    RedditLines(String prefix) {
        this.prefix = prefix;
    }

    /** A good line: a self post on even numbers, a link post on odd ones; fields written the ways the data set does. */
    RedditLines post(int n) {
        var line = new LinkedHashMap<String, Object>();
        line.put("id", prefix + n);
        line.put("name", "t3_" + prefix + n);
        line.put("title", "Post number " + n + " about café ✓");
        boolean self = n % 2 == 0;
        line.put("selftext", self ? "Body of post " + n + "\nwith a second line" : "");
        line.put("url", self ? "https://www.reddit.com/r/test/comments/" + n : "https://example.org/article/" + n);
        line.put("permalink", "/r/test/comments/" + n);
        line.put("author", n % 10 == 0 ? null : "author" + n % 7);
        line.put("score", n % 3 == 0 ? Integer.toString(n) : n);
        line.put("ups", n + 1);
        line.put("downs", 1);
        line.put("num_comments", n % 5);
        line.put("created_utc", n % 4 == 0 ? 1_400_000_000 + n * 60 + 0.5 : n % 4 == 1 ? Long.toString(1_400_000_000L + n * 60)
                : 1_400_000_000L + n * 60);
        line.put("link_flair_text", n % 3 == 0 ? "Ask Science!" : n % 3 == 1 ? null : "Café Talk");
        line.put("domain", self ? "self.test" : "example.org");
        line.put("over_18", n % 2 == 0 ? "False" : false);
        line.put("is_self", n % 4 == 0 ? (self ? "True" : "False") : self);
        line.put("gilded", 0); // a field the import does not know
        lines.add(Json.text(line));
        posts++;
        return this;
    }

    RedditLines posts(int from, int to) {
        for (int n = from; n <= to; n++) {
            post(n);
        }
        return this;
    }

    /** A broken line (counted skipped). */
    RedditLines broken(String line) {
        lines.add(line);
        broken.add((long) lines.size());
        return this;
    }

    /** One of each kind of broken line the import must skip. */
    RedditLines everyKindOfBrokenLine() {
        broken("{\"name\": \"t3_cut\", \"title\": \"cut off");
        broken("not json at all");
        broken("[1, 2, 3]");
        broken(Json.text(Map.of("title", "no name", "created_utc", 1)));
        broken(Json.text(Map.of("name", prefix + "notitle", "created_utc", 1)));
        broken(Json.text(Map.of("name", prefix + "emptytitle", "title", "   ", "created_utc", 1)));
        broken(Json.text(Map.of("name", prefix + "badtime", "title", "bad time", "created_utc", "yesterday")));
        broken(Json.text(Map.of("name", prefix + "notime", "title", "no time")));
        broken(Json.text(Map.of("name", prefix + "longbody", "title", "long", "created_utc", 1, "selftext", "x".repeat(40_001))));
        broken(Json.text(Map.of("name", prefix + "badself", "title", "t", "created_utc", 1, "is_self", "perhaps")));
        broken(Json.text(Map.of("name", prefix + "badscore", "title", "t", "created_utc", 1, "score", "lots")));
        broken(Json.text(Map.of("name", "t3 " + prefix + "space", "title", "t", "created_utc", 1)));
        return this;
    }

    RedditLines blank() {
        lines.add(blank++ % 2 == 0 ? "" : "   ");
        return this;
    }

    int posts() {
        return posts;
    }

    List<Long> brokenLines() {
        return broken;
    }

    int lineCount() {
        return lines.size();
    }

    /** The file: lines joined by \n, the last one with no newline when {@code endWithNewline} is false. */
    byte[] bytes(boolean endWithNewline) {
        return (String.join("\n", lines) + (endWithNewline ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
    }
}
