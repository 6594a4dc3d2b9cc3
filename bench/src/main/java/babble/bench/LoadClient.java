package babble.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The load generator's HTTP client for the open-loop scenarios: Jetty's asynchronous client. Measured here, the
 * JDK's HttpClient spends about half a core at 1,000 requests/s (it would be measuring itself); Jetty's a
 * fraction of that. Set-up calls still go through the project's {@code BabbleClient}.
 */
public final class LoadClient implements AutoCloseable {
    private final HttpClient http = new HttpClient();
    private final URI base;

    public LoadClient(URI base) throws Exception {
        this.base = base;
        http.setMaxConnectionsPerDestination(512);
        http.setMaxRequestsQueuedPerDestination(100_000);
        http.start();
    }

    /** Sends a request; completes with the status (0 when it failed to get one). */
    public CompletableFuture<Integer> send(String method, String path, String jsonBody, String token) {
        return send(method, path, jsonBody, token, java.util.Map.of());
    }

    /** The same, with extra request headers (an Idempotency-Key, say). */
    public CompletableFuture<Integer> send(String method, String path, String jsonBody, String token,
                                           java.util.Map<String, String> headers) {
        return exchange(method, path, jsonBody, token, headers).thenApply(Answer::status);
    }

    /** A status and the body that came with it (status 0: no answer). */
    public record Answer(int status, byte[] body) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return babble.client.BabbleClient.json().readTree(body);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Sends a request; completes with the status and the body (when the caller needs what was created). */
    public CompletableFuture<Answer> sendForBody(String method, String path, String jsonBody, String token) {
        return exchange(method, path, jsonBody, token, java.util.Map.of());
    }

    private CompletableFuture<Answer> exchange(String method, String path, String jsonBody, String token,
                                               java.util.Map<String, String> headers) {
        var answer = new CompletableFuture<Answer>();
        var request = http.newRequest(base.resolve(path)).method(HttpMethod.fromString(method)).timeout(30, TimeUnit.SECONDS);
        if (token != null) {
            request.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        if (!headers.isEmpty()) {
            request.headers(h -> headers.forEach(h::put));
        }
        if (jsonBody != null) {
            request.body(new StringRequestContent("application/json", jsonBody, StandardCharsets.UTF_8));
        }
        request.send(new BufferingResponseListener(1 << 20) {
            @Override
            public void onComplete(Result result) {
                answer.complete(result.isFailed() ? new Answer(0, new byte[0])
                        : new Answer(result.getResponse().getStatus(), getContent()));
            }
        });
        return answer;
    }

    /** A JSON object with one text field, escaped. */
    public static String textBody(String text) {
        return "{\"text\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
