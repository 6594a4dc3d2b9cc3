package babble.e2e;

import static babble.e2e.ImportsApi.JSON_LINES;
import static babble.e2e.ImportsApi.answerToHeadersAlone;
import static babble.e2e.ImportsApi.count;
import static babble.e2e.ImportsApi.importsPath;
import static babble.e2e.ImportsApi.startImport;
import static babble.e2e.ImportsApi.upload;
import static babble.e2e.JobsApi.awaitFinished;
import static babble.e2e.JobsApi.id;
import static babble.e2e.JobsApi.status;
import static org.assertj.core.api.Assertions.assertThat;

import babble.app.RedditSample;
import babble.client.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API.md, "Imports", through the public API like any client: a generated reddit file of 10,000 lines with broken
 * ones in it imports with exact counts, its posts are then the room's (listed as the API lists posts), importing it
 * again adds nothing, and whoever may not import is refused before the file is sent.
 */
class ImportIT extends E2E {
    static final int LINES = 10_000;
    static final int BROKEN = 100;
    static final Duration IMPORT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void generate() {
        file = ImportsApi.sample(dir, LINES, BROKEN);
    }

    @Test
    void aFileWithBrokenLinesImportsWithExactCountsItsPostsAreTheRoomsAndImportingItAgainAddsNothing() {
        var owner = newUser("importer");
        UUID room = owner.createRoom(uniqueName("reddit")).id();
        List<Long> broken = RedditSample.brokenLineNumbers(LINES, BROKEN);

        JsonNode job = awaitFinished(owner, id(startImport(client, owner, room, file)), IMPORT);

        assertThat(status(job)).as(job.toString()).isEqualTo("succeeded");
        assertThat(count(job, "imported")).isEqualTo(LINES - BROKEN);
        assertThat(count(job, "existing")).isZero();
        assertThat(count(job, "skipped")).isEqualTo(BROKEN);
        assertThat(job.get("result").get("errors")).hasSize(100);
        assertThat(job.get("result").get("errors").findValuesAsText("line")).map(Long::parseLong).isEqualTo(broken);
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(LINES);
        assertThat(job.get("progress").get("total").asLong()).isEqualTo(LINES);

        // The read model follows the posts in order: once the last one is listed, all are.
        List<JsonNode> lines = ImportsApi.goodLines(file, broken);
        JsonNode last = lines.getLast();
        PostsApi.eventually(IMPORT, () -> assertThat(PostsApi.ok(owner, PostsApi.postsPath(room) + "?sort=new&limit=1")
                .get("posts").get(0).get("title").asText()).isEqualTo(last.get("title").asText()));
        List<JsonNode> posts = PostsApi.allPosts(owner, room, "new", 100);
        assertThat(posts).hasSize(LINES - BROKEN);
        assertThat(posts.stream().map(p -> p.get("createdAt").asText()).distinct()).as("each post once").hasSize(LINES - BROKEN);
        assertThat(posts).allSatisfy(p -> {
            assertThat(p.get("status").asText()).isEqualTo("approved");
            assertThat(p.get("author").get("id").asText()).isEqualTo(owner.id().toString());
            assertThat(p.get("author").get("displayName").asText()).startsWith("u/");
        });
        assertThatPostIsLine(posts.getFirst(), last);

        JsonNode again = awaitFinished(owner, id(startImport(client, owner, room, file)), IMPORT);

        assertThat(status(again)).as(again.toString()).isEqualTo("succeeded");
        assertThat(count(again, "imported")).isZero();
        assertThat(count(again, "existing")).isEqualTo(LINES - BROKEN);
        assertThat(count(again, "skipped")).isEqualTo(BROKEN);
        assertThat(PostsApi.allPosts(owner, room, "new", 100)).hasSize(LINES - BROKEN);
    }

    /** The post keeps its line's title, body or link, created time, score, author and flair. */
    private static void assertThatPostIsLine(JsonNode post, JsonNode line) {
        boolean self = line.get("is_self").asText().equals("True");
        String flair = line.get("link_flair_text").isNull() ? null : line.get("link_flair_text").asText();
        assertThat(post.get("title").asText()).isEqualTo(line.get("title").asText());
        assertThat(Instant.parse(post.get("createdAt").asText()).getEpochSecond())
                .isEqualTo(new BigDecimal(line.get("created_utc").asText()).longValue());
        assertThat(post.get("score").asLong()).isEqualTo(line.get("score").asLong());
        assertThat(post.get("author").get("displayName").asText()).isEqualTo("u/" + line.get("author").asText());
        assertThat(post.get("body").isNull() ? "" : post.get("body").asText()).isEqualTo(line.get("selftext").asText());
        assertThat(post.get("url").isNull() ? null : post.get("url").asText()).isEqualTo(self ? null : line.get("url").asText());
        if (flair == null) {
            assertThat(post.get("tags")).isEmpty();
        } else {
            assertThat(post.get("tags")).hasSize(1);
            assertThat(post.get("tags").get(0).asText()).isEqualTo(flair.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        }
    }

    @Test
    void onlyTheRoomsOwnerImportsAndWhoMayNotIsRefusedBeforeTheFileIsSent() {
        var owner = newUser("owner");
        var member = newUser("member");
        var stranger = newUser("stranger");
        UUID room = owner.createRoom(uniqueName("mine")).id();
        member.join(room);
        Path small = ImportsApi.sample(dir, 20, 2);

        assertThat(upload(client, member, importsPath(room), small, JSON_LINES, Map.of()).status()).isEqualTo(403);
        assertThat(upload(client, stranger, importsPath(room), small, JSON_LINES, Map.of()).status()).isEqualTo(403);
        assertThat(upload(client, owner, importsPath(UUID.randomUUID()), small, JSON_LINES, Map.of()).status()).isEqualTo(404);
        assertThat(upload(client, null, importsPath(room), small, JSON_LINES, Map.of()).status()).isEqualTo(401);
        // Refused on the headers alone: 10 MB announced, not one byte sent.
        for (var who : List.of(member, stranger)) {
            assertThat(answerToHeadersAlone(deployment.baseUrl(), importsPath(room), who.token(), JSON_LINES, 10_000_000))
                    .startsWith("HTTP/1.1 403");
        }
        assertThat(member.call("GET", "/api/v1/jobs", null).json().get("jobs")).isEmpty();
        assertThat(stranger.call("GET", "/api/v1/jobs", null).json().get("jobs")).isEmpty();
    }

    @Test
    void aFileTooLargeOfAnotherTypeOrFormatOrEmptyIsRefused() throws Exception {
        var owner = newUser("careful");
        UUID room = owner.createRoom(uniqueName("limits")).id();
        Path small = ImportsApi.sample(dir, 20, 0);
        Path empty = Files.createFile(dir.resolve("empty-" + UUID.randomUUID() + ".jsonl"));

        String tooLarge = answerToHeadersAlone(deployment.baseUrl(), importsPath(room), owner.token(), JSON_LINES, 300_000_000L);
        ApiResponse csv = upload(client, owner, importsPath(room), small, "text/csv", Map.of());
        ApiResponse json = upload(client, owner, importsPath(room), small, "application/json", Map.of());
        ApiResponse latin1 = upload(client, owner, importsPath(room), small, JSON_LINES + "; charset=iso-8859-1", Map.of());
        ApiResponse gzip = upload(client, owner, importsPath(room), small, JSON_LINES, Map.of("Content-Encoding", "gzip"));
        ApiResponse format = upload(client, owner, "/api/v1/rooms/" + room + "/imports?format=csv", small, JSON_LINES, Map.of());
        ApiResponse nothing = upload(client, owner, importsPath(room), empty, JSON_LINES, Map.of());
        ApiResponse jsonl = upload(client, owner, importsPath(room), small, "application/jsonl; charset=UTF-8", Map.of());

        assertThat(tooLarge).startsWith("HTTP/1.1 413");
        for (ApiResponse refused : List.of(csv, json, latin1, gzip)) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(415);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(format.status()).isEqualTo(422);
        assertThat(format.json().get("errors").get(0).get("field").asText()).isEqualTo("format");
        assertThat(nothing.status()).isEqualTo(422);
        assertThat(jsonl.status()).as(jsonl.text()).isEqualTo(202);
        assertThat(count(awaitFinished(owner, jsonl.json().get("id").asText(), IMPORT), "imported")).isEqualTo(20);
    }

    @Test
    void anIdempotencyKeyMakesARetriedUploadTheSameImport() {
        var owner = newUser("retrier");
        UUID room = owner.createRoom(uniqueName("retry")).id();
        Path small = ImportsApi.sample(dir, 30, 3);
        var key = Map.of("Idempotency-Key", "import-" + UUID.randomUUID());

        ApiResponse first = upload(client, owner, importsPath(room), small, JSON_LINES, key);
        ApiResponse retried = upload(client, owner, importsPath(room), small, JSON_LINES, key);
        ApiResponse otherFile = upload(client, owner, importsPath(room), ImportsApi.sample(dir, 31, 3), JSON_LINES, key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(otherFile.status()).isEqualTo(422);
        JsonNode job = awaitFinished(owner, first.json().get("id").asText(), IMPORT);
        assertThat(count(job, "imported")).isEqualTo(27);
        assertThat(owner.call("GET", "/api/v1/jobs", null).json().get("jobs")).hasSize(1);
    }
}
