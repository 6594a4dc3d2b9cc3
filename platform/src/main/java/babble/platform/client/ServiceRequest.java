package babble.platform.client;

import babble.platform.identity.Identity;
import babble.platform.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to another service. {@code retryable} says whether repeating it is safe: true for GET/PUT/DELETE,
 * and for a POST only when it carries an idempotency key.
 */
public record ServiceRequest(String method, String path, byte[] body, String contentType, Identity identity,
                             Map<String, String> headers, boolean retryable) {

    public static ServiceRequest get(String path, Identity identity) {
        return new ServiceRequest("GET", path, null, null, identity, Map.of(), true);
    }

    public static ServiceRequest delete(String path, Identity identity) {
        return new ServiceRequest("DELETE", path, null, null, identity, Map.of(), true);
    }

    public static ServiceRequest put(String path, Identity identity, Object body) {
        return new ServiceRequest("PUT", path, body == null ? null : Json.bytes(body), "application/json", identity,
                Map.of(), true);
    }

    public static ServiceRequest post(String path, Identity identity, Object body) {
        return new ServiceRequest("POST", path, body == null ? null : Json.bytes(body), "application/json", identity,
                Map.of(), false);
    }

    public ServiceRequest withHeader(String name, String value) {
        var all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ServiceRequest(method, path, body, contentType, identity, all, retryable);
    }

    /** Marks a POST safe to retry because the callee dedupes it (an {@code Idempotency-Key} or natural key). */
    public ServiceRequest idempotent() {
        return new ServiceRequest(method, path, body, contentType, identity, headers, true);
    }
}
