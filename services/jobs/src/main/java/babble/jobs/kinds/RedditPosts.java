package babble.jobs.kinds;

import babble.contracts.internal.ImportedPost;
import babble.platform.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One line of seed 004's reddit data (mongoexport style: a JSON object per line) as a post to import, or the reason
 * it cannot be one. Checks what the posts service checks, so a batch is never refused for one post: {@code name}
 * is the key, the title 1 to 300 characters, {@code selftext} the body (at most 40,000), the url only for a link
 * post, the flair as a tag. Fields it does not use are ignored, and so are their values.
 */
final class RedditPosts {
    static final int MAX_TITLE = 300;
    static final int MAX_BODY = 40_000;
    static final int MAX_URL = 2_000;
    static final int MAX_TAG = 32;
    static final int MAX_AUTHOR = 62; // "u/" + this many: the posts service keeps 64
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_TAG = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");
    /** Where created_utc may fall: from 1970 to the end of year 9999. */
    private static final BigDecimal LATEST = BigDecimal.valueOf(253_402_300_799L);

    /** A post, or why the line is skipped. */
    record Mapped(ImportedPost post, String skipped) {
        static Mapped skip(String reason) {
            return new Mapped(null, reason);
        }
    }

    private RedditPosts() {
    }

    /** Whether a line holds nothing but spaces (ignored, not skipped). */
    static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    static Mapped map(byte[] bytes, int length) {
        JsonNode line;
        try {
            line = Json.mapper().readTree(bytes, 0, length);
        } catch (JsonProcessingException e) {
            return Mapped.skip("not JSON (" + shorten(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            return Mapped.skip("not JSON");
        }
        if (line == null || !line.isObject()) {
            return Mapped.skip("not a JSON object");
        }
        try {
            return new Mapped(post(line), null);
        } catch (Skip skip) {
            return Mapped.skip(skip.getMessage());
        }
    }

    private static ImportedPost post(JsonNode line) {
        String key = text(line, "name");
        if (key == null || key.isBlank()) {
            throw new Skip("name is missing");
        }
        if (!KEY.matcher(key).matches()) {
            throw new Skip("name is not a key (1 to 128 visible ASCII characters)");
        }
        String title = text(line, "title");
        if (title == null) {
            throw new Skip("title is missing");
        }
        title = title.strip();
        if (title.isEmpty()) {
            throw new Skip("title is empty");
        }
        if (length(title) > MAX_TITLE) {
            throw new Skip("title is longer than " + MAX_TITLE + " characters");
        }
        String body = text(line, "selftext");
        if (body != null && body.isBlank()) {
            body = null;
        }
        if (body != null && length(body) > MAX_BODY) {
            throw new Skip("selftext is longer than " + MAX_BODY + " characters");
        }
        boolean self = bool(line, "is_self");
        String url = self ? null : url(text(line, "url"));
        String tag = tag(text(line, "link_flair_text"));
        return new ImportedPost(key, title, body, url, tag == null ? List.of() : List.of(tag), score(line),
                createdAt(line), "u/" + author(text(line, "author")));
    }

    /** A field's text: a string as it is, a number or boolean as written; null when absent or null. */
    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new Skip(field + " is not text");
        }
        return value.asText();
    }

    /** A boolean, which the data set may write as {@code "True"}/{@code "False"}; false when absent. */
    private static boolean bool(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
            return value.asText().equalsIgnoreCase("true");
        }
        throw new Skip(field + " is not a boolean");
    }

    /** {@code score}, else {@code ups - downs}, else 0; a whole number, possibly written as a string. */
    private static long score(JsonNode line) {
        if (present(line, "score")) {
            return whole(line.get("score"), "score");
        }
        long ups = present(line, "ups") ? whole(line.get("ups"), "ups") : 0;
        long downs = present(line, "downs") ? whole(line.get("downs"), "downs") : 0;
        return ups - downs;
    }

    private static long whole(JsonNode value, String field) {
        try {
            BigDecimal number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().strip());
            return number.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Skip(field + " is not a whole number");
        }
    }

    /** {@code created_utc}: epoch seconds, whole or with a fraction, as a number or a string. */
    private static Instant createdAt(JsonNode line) {
        if (!present(line, "created_utc")) {
            throw new Skip("created_utc is missing");
        }
        JsonNode value = line.get("created_utc");
        BigDecimal seconds;
        try {
            seconds = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().strip());
        } catch (NumberFormatException e) {
            throw new Skip("created_utc is not a number of seconds");
        }
        if (seconds.signum() < 0 || seconds.compareTo(LATEST) > 0) {
            throw new Skip("created_utc is out of range");
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos).truncatedTo(ChronoUnit.MICROS);
    }

    /** An absolute http(s) URL, or null: a link that is missing or of another kind is left out, not an error. */
    static String url(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String url = raw.strip();
        if (url.length() > MAX_URL) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The flair as a tag: accents dropped, lower case, every run of other characters one '-', no '-' at either end,
     * at most 32 characters; null when nothing is left ("Ask Science!" is {@code ask-science}).
     */
    static String tag(String flair) {
        if (flair == null) {
            return null;
        }
        String plain = MARKS.matcher(Normalizer.normalize(flair, Normalizer.Form.NFKD)).replaceAll("");
        String tag = EDGE_DASHES.matcher(NOT_TAG.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll("-")).replaceAll("");
        if (tag.length() > MAX_TAG) {
            tag = EDGE_DASHES.matcher(tag.substring(0, MAX_TAG)).replaceAll("");
        }
        return tag.isEmpty() ? null : tag;
    }

    private static String author(String raw) {
        if (raw == null || raw.isBlank()) {
            return "[deleted]";
        }
        String author = raw.strip();
        return length(author) <= MAX_AUTHOR ? author : author.substring(0, author.offsetByCodePoints(0, MAX_AUTHOR));
    }

    private static boolean present(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank());
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String shorten(String message) {
        String text = message == null ? "" : message.replaceAll("\\s+", " ");
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** Why a line is skipped, thrown from deep in its mapping. */
    private static final class Skip extends RuntimeException {
        Skip(String reason) {
            super(reason, null, false, false);
        }
    }
}
