package babble.bench.scenarios;

import babble.bench.ClosedLoop;
import babble.bench.Latency;
import babble.bench.OpenLoop;
import babble.bench.Target;
import babble.client.ApiResponse;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Recorder;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;

/**
 * Seed 004: a reddit dump imported as a job (posts/s, next to a bare batched INSERT of the same rows into the
 * same kind of store), search at that size while posts keep arriving (next to a bare Lucene query on the search
 * service's own index, from this JVM), the index lag of new posts (created until found), and the feed.
 */
public final class Topics {
    /** Words of the generated data that queries use: common enough to match many posts. */
    private static final List<String> QUERIES = List.of("rust", "garden", "\"open source\"", "music -guitar",
            "coffee", "tag:science", "learning python", "travel", "history war", "game");

    private Topics() {
    }

    public record ImportRun(UUID room, long lines, long imported, long skipped, double jobSeconds,
                            double postsPerSecond, double wallSeconds) {
    }

    public record InsertRun(String store, long rows, double seconds, double rowsPerSecond) {
    }

    /** Index lag: from a post's 201 until a search finds it (moderation included, as a user waits for both). */
    public record IndexLag(int posts, Latency latency) {
    }

    /** Uploads {@code file} to a new room of the first user's as a reddit import and waits for the job. */
    public static ImportRun importFile(Target target, Path file, long lines) throws Exception {
        UserSession owner = target.users().getFirst();
        UUID room = owner.createRoom("import bench " + UUID.randomUUID().toString().substring(0, 6)).id();
        long began = System.nanoTime();
        var upload = HttpRequest.newBuilder(target.base().resolve("/api/v1/rooms/" + room + "/imports?format=reddit"))
                .header("Authorization", "Bearer " + owner.token()).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).timeout(Duration.ofMinutes(5)).build();
        HttpResponse<String> answer;
        try (var http = HttpClient.newHttpClient()) {
            answer = http.send(upload, HttpResponse.BodyHandlers.ofString());
        }
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("the import answered " + answer.statusCode() + ": " + answer.body());
        }
        String id = babble.client.BabbleClient.json().readTree(answer.body()).get("id").asText();
        JsonNode job;
        do {
            Thread.sleep(200);
            job = owner.call("GET", "/api/v1/jobs/" + id, null).orThrow().json();
        } while (job.get("status").asText().equals("queued") || job.get("status").asText().equals("running"));
        double wall = (System.nanoTime() - began) / 1e9;
        if (!job.get("status").asText().equals("succeeded")) {
            throw new IllegalStateException("the import ended " + job);
        }
        double seconds = Duration.between(Instant.parse(job.get("startedAt").asText()),
                Instant.parse(job.get("finishedAt").asText())).toNanos() / 1e9;
        JsonNode result = job.get("result");
        long imported = result.get("imported").asLong() + result.get("existing").asLong();
        return new ImportRun(room, lines, imported, result.get("skipped").asLong(), seconds, imported / seconds, wall);
    }

    /**
     * The floor under an import: the same number of post rows (title, body, url, tags, author, times, score, key)
     * inserted in batches of 500, one transaction each, into a table of the same store: no events, no indexes but
     * the key's.
     */
    public static InsertRun bareInsert(String store, long rows) throws SQLException, java.io.IOException {
        if (store.equals("postgres")) {
            var props = new Properties();
            props.setProperty("user", "postgres");
            props.setProperty("password", "");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", props)) {
                return insertLoop("PostgreSQL, batches of 500", c, rows);
            }
        }
        Path dir = Files.createTempDirectory("babble-bench-h2-import-");
        String url = "jdbc:h2:file:" + dir.resolve("baseline") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;RETENTION_TIME=0";
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            return insertLoop("H2 file (embedded), batches of 500", c, rows);
        }
    }

    private static InsertRun insertLoop(String store, Connection c, long rows) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("drop table if exists bench_import");
            s.execute("create table bench_import (id uuid primary key, room_id uuid not null, author_id uuid not null, "
                    + "author_name varchar(100), title varchar(300) not null, body varchar(40000), url varchar(2000), "
                    + "tags varchar(200), created_at timestamp with time zone not null, score bigint not null, "
                    + "import_key varchar(200) not null, unique (room_id, import_key))");
        }
        c.setAutoCommit(false);
        UUID room = UUID.randomUUID();
        UUID author = UUID.randomUUID();
        long began = System.nanoTime();
        try (var insert = c.prepareStatement("insert into bench_import (id, room_id, author_id, author_name, title, body, "
                + "url, tags, created_at, score, import_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long i = 0; i < rows; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, room);
                insert.setObject(3, author);
                insert.setString(4, "u/someone" + (i % 500));
                insert.setString(5, "A title of an ordinary length for post number " + i);
                insert.setString(6, "A body of a few sentences, as most self posts have. ".repeat(6));
                insert.setString(7, i % 3 == 0 ? "https://example.com/" + i : null);
                insert.setString(8, "discussion");
                insert.setTimestamp(9, Timestamp.from(Instant.now()));
                insert.setLong(10, i % 1000);
                insert.setString(11, "t3_" + Long.toString(i, 36));
                insert.addBatch();
                if ((i + 1) % 500 == 0 || i == rows - 1) {
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        try (var s = c.createStatement()) {
            s.execute("drop table bench_import");
        }
        c.commit();
        return new InsertRun(store, rows, seconds, rows / seconds);
    }

    /**
     * Waits until every search replica finds all {@code posts} of {@code room} (an import is done when its posts are
     * written; the index, like every other copy, takes them from the events afterwards); answers the seconds it took.
     * Several answers in a row must agree, as calls go round the replicas.
     */
    public static double awaitIndexed(Target target, UUID room, long posts, Duration timeout) throws InterruptedException {
        UserSession reader = target.users().getFirst();
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        int agreeing = 0;
        while (agreeing < 4) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the search index did not catch up with the import in " + timeout);
            }
            ApiResponse page = reader.call("GET", "/api/v1/search?q=-" + "zzznotaword&kind=post&limit=1&room=" + room, null);
            agreeing = page.status() == 200 && page.json().get("total").asLong() >= posts ? agreeing + 1 : 0;
            Thread.sleep(agreeing == 0 ? 500 : 50);
        }
        return (System.nanoTime() - began) / 1e9;
    }

    /** Searches at {@code perSecond} for {@code duration} (the query mix above), while posts arrive at {@code postsPerSecond}. */
    public static OpenLoop.Result searchWhilePosting(Target target, double perSecond, double postsPerSecond,
                                                     Duration duration) throws Exception {
        UserSession searcher = target.users().get(1);
        UserSession poster = target.users().getFirst();
        UUID room = target.rooms().getFirst();
        var posting = CompletableFuture.runAsync(() -> OpenLoop.run(postsPerSecond, duration, 256,
                (i, scheduled) -> target.load().send("POST", "/api/v1/rooms/" + room + "/posts",
                        "{\"title\":\"a new post about coffee and music number " + i + "\"}", poster.token())
                        .thenApply(status -> status == 201)));
        var result = OpenLoop.measured(target.processes(), perSecond, duration, 256,
                (i, scheduled) -> target.load().send("GET", "/api/v1/search?q="
                                + URLEncoder.encode(QUERIES.get(i % QUERIES.size()), StandardCharsets.UTF_8) + "&kind=post",
                        null, searcher.token()).thenApply(status -> status == 200));
        posting.join();
        return result;
    }

    /**
     * The baseline: the same queries, parsed the same way (English analysis, title and text), on the search
     * service's own index opened read-only from this JVM, one after another for as many queries.
     */
    public static OpenLoop.Result bareLucene(Path indexDir, int queries) throws Exception {
        var recorder = new Recorder(1_000, 60_000_000_000L, 3);
        try (var dir = FSDirectory.open(indexDir); var reader = DirectoryReader.open(dir)) {
            var searcher = new IndexSearcher(reader);
            var parser = new MultiFieldQueryParser(new String[] {"title", "text"}, new EnglishAnalyzer());
            parser.setDefaultOperator(QueryParser.Operator.AND);
            List<Query> parsed = new ArrayList<>();
            for (String q : QUERIES) {
                // What the service adds to every query: only shown items, of the kind asked for.
                parsed.add(new BooleanQuery.Builder().add(parser.parse(q), BooleanClause.Occur.MUST)
                        .add(new TermQuery(new Term("visible", "1")), BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term("kind", "post")), BooleanClause.Occur.FILTER).build());
            }
            long began = System.nanoTime();
            for (int i = 0; i < queries; i++) {
                long t0 = System.nanoTime();
                searcher.search(parsed.get(i % parsed.size()), 20);
                searcher.count(parsed.get(i % parsed.size()));
                recorder.recordValue(Math.max(1_000, System.nanoTime() - t0));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            return new OpenLoop.Result(0, queries / seconds, Latency.of(recorder.getIntervalHistogram(), 0), 0);
        }
    }

    /**
     * Creates {@code count} posts at {@code perSecond}, each with a word of its own, and polls the search until each
     * is found: the latency from its 201 to the first search that finds it.
     */
    public static IndexLag indexLag(Target target, int count, double perSecond) throws InterruptedException {
        UserSession author = target.users().getFirst();
        UUID room = target.rooms().getFirst();
        var recorder = new Recorder(1_000, 60_000_000_000L, 3);
        var failures = new AtomicInteger();
        long interval = (long) (1e9 / perSecond);
        try (var pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                String word = "lagword" + UUID.randomUUID().toString().replace("-", "").replaceAll("[0-9]", "");
                pollers.submit(() -> {
                    ApiResponse created = author.call("POST", "/api/v1/rooms/" + room + "/posts",
                            Map.of("title", "index lag probe " + word));
                    long createdAt = System.nanoTime();
                    if (created.status() != 201) {
                        failures.incrementAndGet();
                        return null;
                    }
                    long deadline = createdAt + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline) {
                        ApiResponse found = author.call("GET", "/api/v1/search?q=" + word, null);
                        if (found.status() == 200 && found.json().get("total").asLong() > 0) {
                            recorder.recordValue(Math.max(1_000, System.nanoTime() - createdAt));
                            return null;
                        }
                        Thread.sleep(5);
                    }
                    failures.incrementAndGet();
                    return null;
                });
            }
        }
        return new IndexLag(count, Latency.of(recorder.getIntervalHistogram(), failures.get()));
    }

    /**
     * Feeds of users who follow some of the data's topics and have joined the import room, from 8 connections at
     * saturation for {@code duration}.
     */
    public static OpenLoop.Result feed(Target target, UUID importRoom, List<String> topics, Duration duration) {
        var readers = target.users().subList(0, Math.min(8, target.users().size()));
        for (int i = 0; i < readers.size(); i++) {
            var reader = readers.get(i);
            reader.join(importRoom);
            reader.call("PUT", "/api/v1/users/me/topics", Map.of("follow", List.of(topics.get(i % topics.size())),
                    "mute", List.of(topics.get((i + 1) % topics.size())))).orThrow();
        }
        var next = new AtomicInteger();
        return ClosedLoop.run(target.processes(), readers.size(), duration, () -> {
            var reader = readers.get(Math.floorMod(next.getAndIncrement(), readers.size()));
            return target.load().send("GET", "/api/v1/feed?limit=25", null, reader.token()).thenApply(s -> s == 200);
        });
    }
}
