package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.app.ExportCommand;
import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code babble export}, run in this JVM through {@link ExportCommand#run} against the deployment (public API only:
 * an export-room job, its progress, the streamed result): the file holds exactly the room's history as its
 * messages API pages it, and someone who may not export the room gets an error code and no file.
 */
class ExportCliIT extends E2E {
    private static final int MESSAGES = 200;

    @TempDir
    Path dir;

    /** What one run of the command did: its exit code and what it wrote on stdout and stderr. */
    private record Run(int code, String out, String err) {
    }

    private Run export(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", deployment.baseUrl().toString()));
        int code = ExportCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), all.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The room's whole history through {@code GET /rooms/{id}/messages?after=SEQ}, page by page. */
    private static List<JsonNode> history(UserSession user, UUID roomId) {
        var messages = new ArrayList<JsonNode>();
        long after = 0;
        while (true) {
            JsonNode page = user.call("GET", "/api/v1/rooms/" + roomId + "/messages?after=" + after + "&limit=50", null)
                    .orThrow().json().get("messages");
            if (page.isEmpty()) {
                return messages;
            }
            page.forEach(messages::add);
            after = page.get(page.size() - 1).get("seq").asLong();
        }
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        var lines = new ArrayList<JsonNode>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(BabbleClient.json().readTree(line));
        }
        return lines;
    }

    @Test
    void exportsTheRoomsWholeHistoryToTheFile() throws IOException {
        var owner = newUser("exporter");
        var other = newUser("talker");
        var room = owner.createRoom(uniqueName("export"));
        other.join(room.id());
        for (int i = 1; i <= MESSAGES; i++) {
            var author = i % 3 == 0 ? other : owner;
            // Some texts need escaping: new lines, quotes, backslashes, non-ASCII.
            author.post(room.id(), i % 20 == 0 ? "message " + i + "\nsays \"hi\" \\ café ✓" : "message " + i);
        }
        Path file = dir.resolve("exports/room.jsonl"); // a directory that does not exist yet

        // By name, as a member would type it.
        Run run = export(room.name(), "--out", file.toString(), "--token", owner.token());

        assertThat(run.code()).as(run.err()).isZero();
        List<JsonNode> lines = jsonLines(file);
        assertThat(lines).hasSize(MESSAGES).isEqualTo(history(owner, room.id()));
        assertThat(lines.stream().mapToLong(m -> m.get("seq").asLong())).containsExactlyElementsOf(
                LongStream.rangeClosed(1, MESSAGES).boxed().toList());
        assertThat(run.out()).contains("exported 200 messages from " + room.name() + " to " + file.toAbsolutePath());
        assertThat(run.err()).contains("exporting " + room.name()).contains("100%  200/200 messages");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no partial file left beside it").containsExactly(file);
        }

        // By id, as Markdown, over an existing file (replaced).
        Run markdown = export(room.id().toString(), "--out", file.toString(), "--format", "markdown", "--token", other.token());

        assertThat(markdown.code()).as(markdown.err()).isZero();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("# " + room.name() + "\n\n").contains("message 200  \nsays \"hi\" \\ café ✓");
        assertThat(text.split("\\*\\*" + owner.user().username() + "\\*\\* · ", -1)).hasSize(MESSAGES - MESSAGES / 3 + 1);
    }

    @Test
    void whoMayNotExportTheRoomGetsAnErrorCodeAndNoFile() {
        var owner = newUser("keeper");
        var room = owner.createRoom(uniqueName("members"));
        owner.post(room.id(), "members only");
        var stranger = newUser("stranger");
        Path file = dir.resolve("stolen.jsonl");

        Run byId = export(room.id().toString(), "--out", file.toString(), "--token", stranger.token());
        assertThat(byId.code()).isNotZero();
        assertThat(byId.err()).contains("not a member").doesNotContain("exporting");

        Run byName = export(room.name(), "--out", file.toString(), "--token", stranger.token());
        assertThat(byName.code()).isNotZero();
        assertThat(byName.err()).contains("not a member of a room named '" + room.name() + "'");

        Run badToken = export(room.id().toString(), "--out", file.toString(), "--token", "not-a-token");
        assertThat(badToken.code()).isNotZero().isNotEqualTo(byId.code());
        assertThat(badToken.err()).contains("token was refused");

        assertThat(dir).isEmptyDirectory();
        assertThat(byId.out() + byName.out() + badToken.out()).isEmpty();
    }
}
