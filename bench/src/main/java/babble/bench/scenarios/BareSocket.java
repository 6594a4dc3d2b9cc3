package babble.bench.scenarios;

import babble.client.JsonFrames;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.function.Consumer;

/** A plain WebSocket client for the bare broadcast baseline: parses each frame as JSON, like Babble's client. */
final class BareSocket implements AutoCloseable {
    private final WebSocket socket;

    BareSocket(HttpClient http, URI uri, Consumer<JsonNode> onFrame) {
        this.socket = http.newWebSocketBuilder().buildAsync(uri, new JsonFrames(onFrame)).join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
