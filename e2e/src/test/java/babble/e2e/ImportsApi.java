package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.app.RedditSample;
import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * API.md, "Imports": the upload call as raw requests (the file streamed from disk, any content type and headers,
 * or headers alone over a socket, to see what is refused before the body is sent), and what a generated file
 * should become.
 */
final class ImportsApi {
    static final String JSON_LINES = "application/x-ndjson";

    private ImportsApi() {
    }

    static String importsPath(UUID room) {
        return "/api/v1/rooms/" + room + "/imports?format=reddit";
    }

    /** A generated file of {@code lines} lines, {@code broken} of them broken ({@link RedditSample}). */
    static Path sample(Path dir, int lines, int broken) {
        try {
            Path file = dir.resolve("reddit-" + lines + "-" + broken + ".jsonl");
            RedditSample.write(file, lines, broken, 4);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads the file (streamed from disk) as the import of {@code path}. */
    static ApiResponse upload(BabbleClient client, UserSession user, String path, Path file, String contentType,
                              Map<String, String> headers) {
        try {
            return client.send("POST", path, HttpRequest.BodyPublishers.ofFile(file), contentType,
                    user == null ? null : user.token(), headers, Duration.ofMinutes(2));
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads the file as a reddit import into the room: asserts the 202 and answers the job. */
    static JsonNode startImport(BabbleClient client, UserSession owner, UUID room, Path file) {
        ApiResponse response = upload(client, owner, importsPath(room), file, JSON_LINES, Map.of());
        assertThat(response.status()).as("import: %s", response.text()).isEqualTo(202);
        JsonNode job = response.json();
        assertThat(job.get("kind").asText()).isEqualTo("import-posts");
        assertThat(response.header("Location")).isEqualTo("/api/v1/jobs/" + job.get("id").asText());
        return job;
    }

    /** The status line a server answers to headers announcing {@code declaredLength} bytes, of which none are sent. */
    static String answerToHeadersAlone(URI base, String path, String token, String contentType, long declaredLength) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(10_000); // a server waiting for the body never answers: the read times out
            String request = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: " + contentType + "\r\n"
                    + "Content-Length: " + declaredLength + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of the file that is a post, parsed (the broken lines left out), in file order. */
    static List<JsonNode> goodLines(Path file, List<Long> broken) {
        var lines = new ArrayList<JsonNode>();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                if (!broken.contains(++number)) {
                    lines.add(BabbleClient.json().readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The import's counts in a finished job's result. */
    static long count(JsonNode job, String field) {
        return job.get("result").get(field).asLong();
    }
}
