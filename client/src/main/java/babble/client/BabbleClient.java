package babble.client;

import babble.contracts.api.LoginRequest;
import babble.contracts.api.RegisterRequest;
import babble.contracts.api.SessionView;
import babble.contracts.api.UserView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A client of Babble's public API ({@code /api/v1}), over the JDK's HTTP client. {@link #call} gives raw access
 * (any method, path, body, headers) for tests of errors; {@link UserSession} gives typed calls as one user.
 */
public final class BabbleClient implements AutoCloseable {
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public BabbleClient(URI base) {
        this(base, Duration.ofSeconds(10), null);
    }

    public BabbleClient(URI base, Duration timeout, Executor executor) {
        this.base = base;
        this.timeout = timeout;
        var builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (executor != null) {
            builder.executor(executor);
        }
        this.http = builder.build();
    }

    public URI base() {
        return base;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Any call: {@code body} is JSON-encoded unless it is a String (sent as is) or null. Like a polite client, it
     * waits as told and tries again (twice at most) when the answer is 429 Too Many Requests.
     */
    public ApiResponse call(String method, String path, Object body, String token, Map<String, String> headers) {
        try {
            ApiResponse response = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                response = response(http.send(request(method, path, body, token, headers), HttpResponse.BodyHandlers.ofByteArray()));
                if (response.status() != 429) {
                    return response;
                }
                long seconds = Math.min(5, Long.parseLong(java.util.Objects.requireNonNullElse(response.header("Retry-After"), "1")));
                Thread.sleep(seconds * 1_000);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public ApiResponse call(String method, String path, Object body, String token) {
        return call(method, path, body, token, Map.of());
    }

    /** The same call without waiting (the load generator's open-loop requests). */
    public CompletableFuture<ApiResponse> callAsync(String method, String path, Object body, String token,
                                                    Map<String, String> headers) {
        return http.sendAsync(request(method, path, body, token, headers), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(BabbleClient::response);
    }

    /**
     * A GET whose answer body is streamed, never held in memory (a job's exported file): the caller reads the
     * stream and closes it. No retry: the body may be large.
     */
    public HttpResponse<InputStream> stream(String path, String token, Map<String, String> headers) {
        try {
            return http.send(request("GET", path, null, token, headers), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A call whose body comes from a publisher, streamed as it is sent (a file to import is never read whole), with
     * its own timeout for the whole exchange (a large body takes longer than the usual call). No retry: the body
     * may not be repeatable.
     */
    public ApiResponse send(String method, String path, HttpRequest.BodyPublisher body, String contentType, String token,
                            Map<String, String> headers, Duration exchangeTimeout) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(exchangeTimeout)
                .header("Content-Type", contentType).method(method, body);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        try {
            return response(http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public UserView register(String username, String password, String displayName) {
        return call("POST", "/api/v1/users", new RegisterRequest(username, password, displayName), null)
                .orThrow().as(UserView.class);
    }

    public SessionView login(String username, String password) {
        return call("POST", "/api/v1/sessions", new LoginRequest(username, password), null)
                .orThrow().as(SessionView.class);
    }

    /** Registers {@code username} and signs in: a ready-to-use session. */
    public UserSession signUp(String username, String password) {
        register(username, password, null);
        return signIn(username, password);
    }

    public UserSession signIn(String username, String password) {
        SessionView session = login(username, password);
        return new UserSession(this, session.token(), session.user());
    }

    private HttpRequest request(String method, String path, Object body, String token, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] bytes = body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : encode(body);
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return builder.build();
    }

    static byte[] encode(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ApiResponse response(HttpResponse<byte[]> r) {
        return new ApiResponse(r.statusCode(), r.headers(), r.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
