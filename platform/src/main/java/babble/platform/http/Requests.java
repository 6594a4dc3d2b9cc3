package babble.platform.http;

import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.BadRequest;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.problem.PayloadTooLarge;
import babble.platform.problem.Problem;
import babble.platform.problem.Unauthorized;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;

/** What handlers read from a request, each failure already turned into the right problem. */
public final class Requests {
    /**
     * Request bodies are read as {@link Json#mapper()} reads, except that a string holding NUL (U+0000) is an invalid
     * value: no store keeps it (PostgreSQL's text cannot), so it would fail as a 500 after validation passed.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper BODIES = Json.mapper().copy().registerModule(
            new com.fasterxml.jackson.databind.module.SimpleModule("babble-no-nul").addDeserializer(String.class, new NoNul()));

    private Requests() {
    }

    private static final class NoNul extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
        NoNul() {
            super(String.class);
        }

        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser p,
                                  com.fasterxml.jackson.databind.DeserializationContext context) throws IOException {
            String value = com.fasterxml.jackson.databind.deser.std.StringDeserializer.instance.deserialize(p, context);
            if (value != null && value.indexOf('\0') >= 0) {
                String field = p.currentName();
                throw JsonMappingException.from(p, "a string holds NUL", new InvalidField(field == null ? "body" : field,
                        "must not contain the NUL character (U+0000)"));
            }
            return value;
        }
    }

    /** The JSON body as a record: 400 when it is not JSON, 422 naming the field when a value has the wrong type. */
    public static <T> T body(Context ctx, Class<T> type) {
        requireJson(ctx);
        byte[] bytes = ctx.bodyAsBytes(); // within the server's limit (BABBLE_MAX_BODY_BYTES), else 413
        if (bytes.length == 0) {
            throw new BadRequest("the request needs a JSON body");
        }
        return parse(() -> BODIES.readValue(bytes, type));
    }

    /**
     * The same for a route that takes larger bodies than the server's limit (an internal batch): the body is parsed
     * as it streams in, up to {@code maxBytes} (413 above), never first copied whole.
     */
    public static <T> T body(Context ctx, Class<T> type, long maxBytes) {
        requireJson(ctx);
        InputStream in = bodyStream(ctx, maxBytes);
        return parse(() -> {
            try (var parser = BODIES.createParser(in)) {
                if (parser.nextToken() == null) {
                    throw new BadRequest("the request needs a JSON body");
                }
                return BODIES.readValue(parser, type);
            }
        });
    }

    /**
     * 415 when the request says its body is not JSON ({@code application/json} or a {@code +json} type; a body
     * without a Content-Type is read as JSON, as curl without -H sends it).
     */
    private static void requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type == null || type.isBlank()) {
            return;
        }
        String media = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw new babble.platform.problem.UnsupportedMediaType("the request body must be application/json, not " + media);
        }
    }

    /**
     * The raw body as a stream of at most {@code maxBytes}: 413 at once when {@code Content-Length} says more, and
     * as soon as more arrives otherwise. The server's own limit applies only to bodies read whole, not to this.
     */
    public static InputStream bodyStream(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw new PayloadTooLarge("the request body is over " + maxBytes + " bytes");
        }
        try {
            return new LimitedStream(ctx.req().getInputStream(), maxBytes);
        } catch (IOException e) {
            throw new BadRequest("the request body could not be read");
        }
    }

    /** Reads a JSON value, each failure turned into the problem it is. */
    private static <T> T parse(JsonRead<T> read) {
        try {
            T value = read.value();
            if (value == null) {
                throw new BadRequest("the request body must be a JSON object");
            }
            return value;
        } catch (MismatchedInputException e) {
            if (e.getCause() instanceof Problem tooLarge) {
                throw tooLarge;
            }
            String field = fieldOf(e);
            if (field.isEmpty()) {
                throw new BadRequest("the request body must be a JSON object");
            }
            throw new InvalidField(field, "has the wrong type");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof Problem tooLarge) {
                throw tooLarge; // the stream's limit, reached while a value was being read
            }
            if (e.getCause() instanceof JsonParseException parse) {
                // Broken JSON inside a field (an unclosed string, say) is malformed, not an invalid value.
                throw new BadRequest("the request body is not valid JSON: " + parse.getOriginalMessage());
            }
            String field = fieldOf(e);
            throw field.isEmpty() ? new BadRequest("the request body does not match: " + e.getOriginalMessage())
                    : new InvalidField(field, "is not valid");
        } catch (JsonProcessingException e) {
            throw new BadRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("the request body could not be read");
        }
    }

    @FunctionalInterface
    private interface JsonRead<T> {
        T value() throws IOException;
    }

    /** A body stream that answers 413 once more than its limit has been read. */
    private static final class LimitedStream extends FilterInputStream {
        private final long max;
        private long read;

        LimitedStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count((int) Math.min(skipped, Integer.MAX_VALUE));
            return skipped;
        }

        private void count(int n) {
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new PayloadTooLarge("the request body is over " + max + " bytes");
                }
            }
        }
    }

    /** The verified identity of the caller (set by the chassis on internal services). */
    public static Identity identity(Context ctx) {
        Identity identity = ctx.attribute(HttpServer.IDENTITY_ATTRIBUTE);
        if (identity == null) {
            throw new Unauthorized("no verified identity on this request");
        }
        return identity;
    }

    /** The id of the signed-in user this call is for; 401 when the call is anonymous. */
    public static UUID userId(Context ctx) {
        return identity(ctx).requireUser();
    }

    /** A path id; a malformed one cannot name anything, so it is 404 like any unknown id. */
    public static UUID id(Context ctx, String param, String what) {
        String raw = ctx.pathParam(param);
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw NotFound.of(what, raw);
        }
    }

    /** A path number that names something (a message's seq, from 1): malformed or out of range is 404, like an id. */
    public static long number(Context ctx, String param, String what) {
        String raw = ctx.pathParam(param);
        try {
            long value = Long.parseLong(raw);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through: not a number names nothing
        }
        throw NotFound.of(what, raw);
    }

    /** The {@code limit} query parameter: default when absent, 422 outside 1..max. */
    public static int limit(Context ctx, int fallback, int max) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit < 1 || limit > max) {
                throw new InvalidField("limit", "must be between 1 and " + max);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new InvalidField("limit", "must be a whole number between 1 and " + max);
        }
    }

    /** An optional whole-number query parameter, at least {@code min}. */
    public static OptionalLong longParam(Context ctx, String name, long min) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(raw);
            if (value < min) {
                throw new InvalidField(name, "must be at least " + min);
            }
            return OptionalLong.of(value);
        } catch (NumberFormatException e) {
            throw new InvalidField(name, "must be a whole number");
        }
    }

    private static String fieldOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
