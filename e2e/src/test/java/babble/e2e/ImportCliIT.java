package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.app.ImportCommand;
import babble.app.SampleCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code babble sample reddit} and {@code babble import reddit}, run in this JVM through their {@code run} methods
 * against the deployment (public API only): the generated file imports with the counts it was made with, shown with
 * a progress line, importing it again adds nothing, and someone who may not import gets an error code before the
 * file is sent.
 */
class ImportCliIT extends E2E {
    @TempDir
    Path dir;

    /** What one run of a command did: its exit code and what it wrote on stdout and stderr. */
    private record Run(int code, String out, String err) {
    }

    private Run importFile(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", deployment.baseUrl().toString()));
        int code = ImportCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), all.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run sample(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = SampleCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGeneratedFileImportsIntoTheOwnersRoomWithItsCountsAndAgainAddsNothing() throws Exception {
        var owner = newUser("cli");
        var room = owner.createRoom(uniqueName("cli-import"));
        Path file = dir.resolve("sample/reddit.jsonl");

        Run generated = sample("reddit", "--lines", "500", "--broken", "20", "--out", file.toString());
        Run imported = importFile("reddit", file.toString(), "--room", room.name(), "--token", owner.token());

        assertThat(generated.code()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("wrote 500 lines (480 posts, 20 broken) to " + file.toAbsolutePath());
        assertThat(Files.readAllLines(file)).hasSize(500);
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 480 posts from reddit.jsonl into " + room.name()
                + " (0 already there, 20 lines skipped)");
        assertThat(imported.err()).contains("uploading reddit.jsonl").contains("importing " + room.name())
                .contains("100%  500/500 lines").contains("skipped line 1: not JSON")
                .contains("... and 10 more skipped lines");
        PostsApi.eventually(PostsApi.READ_MODEL.multipliedBy(6),
                () -> assertThat(PostsApi.allPosts(owner, room.id(), "new", 100)).hasSize(480));

        // By id, a second time.
        Run again = importFile("reddit", file.toString(), "--room", room.id().toString(), "--token", owner.token());

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("imported 0 posts from reddit.jsonl into " + room.name()
                + " (480 already there, 20 lines skipped)");
    }

    @Test
    void whoMayNotImportGetsAnErrorCodeAndNoJobStarts() throws Exception {
        var owner = newUser("keeper");
        var member = newUser("member");
        var stranger = newUser("stranger");
        var room = owner.createRoom(uniqueName("owned"));
        member.join(room.id());
        Path file = dir.resolve("reddit.jsonl");
        assertThat(sample("reddit", "--lines", "10", "--out", file.toString()).code()).isZero();

        Run byMember = importFile("reddit", file.toString(), "--room", room.name(), "--token", member.token());
        Run byStranger = importFile("reddit", file.toString(), "--room", room.id().toString(), "--token", stranger.token());
        Run notAMember = importFile("reddit", file.toString(), "--room", room.name(), "--token", stranger.token());
        Run badToken = importFile("reddit", file.toString(), "--room", room.name(), "--token", "not-a-token");
        Run noFile = importFile("reddit", dir.resolve("missing.jsonl").toString(), "--room", room.name(), "--token", owner.token());
        Run badFormat = importFile("csv", file.toString(), "--room", room.name(), "--token", owner.token());

        assertThat(byMember.code()).isEqualTo(5);
        assertThat(byMember.err()).contains("only the owner of room " + room.name()).doesNotContain("uploading");
        assertThat(byStranger.code()).isEqualTo(5);
        assertThat(byStranger.err()).contains("only the owner of room");
        assertThat(notAMember.code()).isEqualTo(5);
        assertThat(notAMember.err()).contains("not a member of a room named '" + room.name() + "'");
        assertThat(badToken.code()).isEqualTo(4);
        assertThat(badToken.err()).contains("token was refused");
        assertThat(noFile.code()).isEqualTo(1);
        assertThat(noFile.err()).contains("no such file");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("the only format is reddit");
        assertThat(byMember.out() + byStranger.out() + notAMember.out() + badToken.out() + noFile.out()).isEmpty();
        assertThat(owner.call("GET", "/api/v1/jobs", null).json().get("jobs")).isEmpty();
    }
}
