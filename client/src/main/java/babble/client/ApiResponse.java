package babble.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A raw answer of the public API: status, headers and body, with helpers to read it. */
public record ApiResponse(int status, HttpHeaders headers, byte[] body) {

    public JsonNode json() {
        if (body.length == 0) {
            return null;
        }
        try {
            return BabbleClient.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text(), e);
        }
    }

    public <T> T as(Class<T> type) {
        try {
            return BabbleClient.JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + text(), e);
        }
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String contentType() {
        return headers.firstValue("Content-Type").orElse("");
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Throws {@link ApiException} unless the status is 2xx. */
    public ApiResponse orThrow() {
        if (!isSuccess()) {
            throw new ApiException(this);
        }
        return this;
    }
}
