package babble.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A client of the live WebSocket ({@code /api/v1/live}) over the JDK's WebSocket: frames in are JSON, kept in
 * arrival order; {@link #abort()} drops the connection without a goodbye, like a lost network.
 */
public final class LiveClient implements AutoCloseable {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Consumer<JsonNode> onFrame;
    private final boolean keepFrames;
    private WebSocket socket;

    private LiveClient(Consumer<JsonNode> onFrame, boolean keepFrames) {
        this.onFrame = onFrame;
        this.keepFrames = keepFrames;
    }

    /** Connects and authenticates with the first frame (the way browsers do). */
    public static LiveClient connect(HttpClient http, URI base, String token) {
        var client = open(http, base, null, null, true);
        client.send(Map.of("type", "auth", "token", token));
        return client;
    }

    /** Connects with the token in the query; a bad token fails the upgrade (401). */
    public static LiveClient connectWithQueryToken(HttpClient http, URI base, String token) {
        return open(http, base, token, null, true);
    }

    /** Connects and hands every frame to {@code onFrame} as well. */
    public static LiveClient connect(HttpClient http, URI base, String token, Consumer<JsonNode> onFrame) {
        var client = open(http, base, null, onFrame, true);
        client.send(Map.of("type", "auth", "token", token));
        return client;
    }

    /** Connects (token in the query) and hands frames only to {@code onFrame}, keeping none: the load generator's path. */
    public static LiveClient stream(HttpClient http, URI base, String token, Consumer<JsonNode> onFrame) {
        return open(http, base, token, onFrame, false);
    }

    private static LiveClient open(HttpClient http, URI base, String queryToken, Consumer<JsonNode> onFrame,
                                   boolean keepFrames) {
        var client = new LiveClient(onFrame, keepFrames);
        String scheme = base.getScheme().equals("https") ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getAuthority() + "/api/v1/live"
                + (queryToken == null ? "" : "?token=" + queryToken));
        try {
            client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, client.new Listener()).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("cannot open " + uri.getPath() + ": " + root.getMessage(), e.getCause());
        }
        return client;
    }

    public void send(Object frame) {
        String text = frame instanceof String s ? s : new String(BabbleClient.encode(frame), java.nio.charset.StandardCharsets.UTF_8);
        socket.sendText(text, true).join();
    }

    /** A binary frame: the protocol has none, so the server must refuse it. */
    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void subscribe(Map<UUID, Long> roomsAndLastSeq) {
        send(Map.of("type", "subscribe", "rooms", roomsAndLastSeq));
    }

    public void subscribe(UUID roomId, long lastSeq) {
        subscribe(Map.of(roomId, lastSeq));
    }

    /** Subscribes from a seq and a change number: sent what is new after the seq and what changed after the change. */
    public void subscribe(UUID roomId, long lastSeq, long lastChange) {
        send(Map.of("type", "subscribe", "rooms", Map.of(roomId.toString(), Map.of("seq", lastSeq, "change", lastChange))));
    }

    public void unsubscribe(UUID roomId) {
        send(Map.of("type", "unsubscribe", "rooms", List.of(roomId)));
    }

    public void ping() {
        send(Map.of("type", "ping"));
    }

    /** The next frame, or null after {@code timeout}. */
    public JsonNode next(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits for the first frame matching {@code wanted}; the frames skipped on the way are returned too. */
    public JsonNode await(Predicate<JsonNode> wanted, Duration timeout, List<JsonNode> skipped) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame == null) {
                break;
            }
            if (wanted.test(frame)) {
                return frame;
            }
            if (skipped != null) {
                skipped.add(frame);
            }
        }
        throw new AssertionError("no matching live frame within " + timeout + (skipped == null ? "" : "; got " + skipped));
    }

    public JsonNode awaitType(String type, Duration timeout) {
        return await(f -> type.equals(f.path("type").asText()), timeout, new ArrayList<>());
    }

    /** Every frame that arrives within {@code quiet} of the previous one. */
    public List<JsonNode> drain(Duration quiet) {
        var out = new ArrayList<JsonNode>();
        JsonNode frame;
        while ((frame = next(quiet)) != null) {
            out.add(frame);
        }
        return out;
    }

    /** Drops the connection without a close handshake, as a lost network would. */
    public void abort() {
        socket.abort();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The close code the server sent, waiting up to {@code timeout}; null if still open. */
    public Integer closeCode(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Listener extends JsonFrames {
        Listener() {
            super(frame -> {
                if (onFrame != null) {
                    onFrame.accept(frame);
                }
                if (keepFrames) {
                    frames.add(frame);
                }
            });
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null; // the JDK answers with a pong itself
        }
    }
}
