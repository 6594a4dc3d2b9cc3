package babble.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A WebSocket listener that joins text fragments into whole frames and hands each one over parsed as JSON. */
public class JsonFrames implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final Consumer<JsonNode> onFrame;

    public JsonFrames(Consumer<JsonNode> onFrame) {
        this.onFrame = onFrame;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                onFrame.accept(BabbleClient.JSON.readTree(partial.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }
}
