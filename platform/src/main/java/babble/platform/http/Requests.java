package babble.platform.http;

import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.BadRequest;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.problem.Unauthorized;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;

/** What handlers read from a request, each failure already turned into the right problem. */
public final class Requests {
    private Requests() {
    }

    /** The JSON body as a record: 400 when it is not JSON, 422 naming the field when a value has the wrong type. */
    public static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new BadRequest("the request needs a JSON body");
        }
        try {
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                throw new BadRequest("the request body must be a JSON object");
            }
            return value;
        } catch (MismatchedInputException e) {
            String field = fieldOf(e);
            if (field.isEmpty()) {
                throw new BadRequest("the request body must be a JSON object");
            }
            throw new InvalidField(field, "has the wrong type");
        } catch (JsonMappingException e) {
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
