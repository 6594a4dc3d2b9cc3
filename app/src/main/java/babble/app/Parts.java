package babble.app;

import babble.app.ProcessCluster.Part;
import babble.platform.http.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** What both clusters of separate parts (JVMs, containers) do alike with one part: its heap, its log, its readiness. */
final class Parts {
    private Parts() {
    }

    /** {@code BABBLE_<SERVICE>_HEAP}, else 512m for a gateway and {@code BABBLE_SERVICE_HEAP} (256m) for a service. */
    static String heap(Map<String, String> environment, String prefix, boolean gateway) {
        String own = environment.get(prefix + "HEAP");
        if (own != null && !own.isBlank()) {
            return own;
        }
        return gateway ? "512m" : environment.getOrDefault("BABBLE_SERVICE_HEAP", "256m");
    }

    /** Copies the part's output to {@code out}, each line labelled with its name, until the part ends. */
    static void stream(PrintStream out, String name, Process part) {
        String label = String.format("[%-9s] ", name);
        try (var reader = new BufferedReader(new InputStreamReader(part.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println(label + line);
            }
        } catch (IOException e) {
            // the part ended
        }
    }

    static boolean isReady(HttpClient http, Part part) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + part.port() + "/health/ready"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            // Ready, and the service itself: not another one that happens to hold the port (one that could not bind).
            return response.statusCode() == 200
                    && response.headers().firstValue(HttpServer.SERVICE_HEADER).orElse("").equals(part.service());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
