package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.client.LiveClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: every operation of the OpenAPI document, called by every kind of caller, against one declaration
 * ({@link #ROWS}) of the status each must get. An operation the document lists and the declaration does not (a new
 * endpoint) fails the build, and so does a row for an operation the document does not list.
 *
 * <p>The callers, relative to the fixtures each call is about (a public room with its owner and one more member, a
 * post and a job of the owner's): no token; a revoked token (signed out); an expired token (older than the session
 * lifetime, which this deployment sets to {@value #SESSION_TTL_SECONDS} s); a stranger (signed in, not a member of
 * the room, not the user or owner the path names); a member (of the room, not its owner); the owner (of the room,
 * the post, the job, and the user the path names). Runs on a deployment of its own (the short session lifetime), in
 * the mode under test.
 */
class AccessMatrixIT {
    static final int SESSION_TTL_SECONDS = 12;

    enum Caller { NONE, REVOKED, EXPIRED, STRANGER, MEMBER, OWNER }

    /** What a call needs fresh rather than shared, because it changes what it is about. */
    enum Fresh { NOTHING, ROOM, POST, JOB, TOKEN, MESSAGE }

    /** One operation: its request for a given world, and the status each kind of caller gets. */
    record Row(String method, String path, Fresh fresh, Function<World, Request> request, Map<Caller, Integer> expected) {
        String operation() {
            return method + " " + path;
        }
    }

    record Request(String path, Object body, String rawBody, String contentType) {
        static Request of(String path) {
            return new Request(path, null, null, null);
        }

        static Request of(String path, Object body) {
            return new Request(path, body, null, null);
        }
    }

    /**
     * What the calls are about: a room of the owner's with a member, an approved post, a job and a chat message (its
     * seq) of the owner's.
     */
    record World(UUID room, String post, String job, UUID owner, UUID member, long message) {
    }

    // Shorthands for the expected statuses: public (anyone), signedIn (any valid token), and by relation.
    private static Map<Caller, Integer> anyone(int status) {
        return expect(status, status, status, status, status, status);
    }

    private static Map<Caller, Integer> signedIn(int status) {
        return expect(401, 401, 401, status, status, status);
    }

    /** Members and the owner may; a stranger gets {@code stranger}. */
    private static Map<Caller, Integer> members(int status, int stranger) {
        return expect(401, 401, 401, stranger, status, status);
    }

    /** Only the owner may; everyone else signed in gets {@code others}. */
    private static Map<Caller, Integer> owner(int status, int others) {
        return expect(401, 401, 401, others, others, status);
    }

    private static Map<Caller, Integer> expect(int none, int revoked, int expired, int stranger, int member, int owner) {
        var map = new EnumMap<Caller, Integer>(Caller.class);
        map.put(Caller.NONE, none);
        map.put(Caller.REVOKED, revoked);
        map.put(Caller.EXPIRED, expired);
        map.put(Caller.STRANGER, stranger);
        map.put(Caller.MEMBER, member);
        map.put(Caller.OWNER, owner);
        return map;
    }

    private static Row row(String method, String path, Fresh fresh, Function<World, Request> request, Map<Caller, Integer> expected) {
        return new Row(method, path, fresh, request, expected);
    }

    private static Row row(String method, String path, Function<World, Request> request, Map<Caller, Integer> expected) {
        return row(method, path, Fresh.NOTHING, request, expected);
    }

    /** The declaration: one row per operation of docs/openapi.json (paths relative to /api/v1). */
    static final List<Row> ROWS = List.of(
            // Accounts
            row("POST", "/users", w -> Request.of("/users", Map.of("username", E2E.uniqueName("mx"), "password", E2E.PASSWORD)), anyone(201)),
            row("POST", "/sessions", w -> Request.of("/sessions", Map.of("username",
                    AccessMatrixIT.accounts.get(Caller.MEMBER).username, "password", E2E.PASSWORD)), anyone(201)),
            row("DELETE", "/sessions/current", Fresh.TOKEN, w -> Request.of("/sessions/current"), signedIn(204)),
            row("GET", "/users/me", w -> Request.of("/users/me"), signedIn(200)),
            row("GET", "/users/me/rooms", w -> Request.of("/users/me/rooms"), signedIn(200)),
            row("GET", "/users/{id}", w -> Request.of("/users/" + w.member()), signedIn(200)),
            row("GET", "/users", w -> Request.of("/users?prefix=mx"), signedIn(200)),
            row("GET", "/presence", w -> Request.of("/presence?users=" + w.member()), signedIn(200)),
            // Rooms
            row("POST", "/rooms", w -> Request.of("/rooms", Map.of("name", "matrix")), signedIn(201)),
            row("GET", "/rooms", w -> Request.of("/rooms"), signedIn(200)),
            row("GET", "/rooms/{id}", w -> Request.of("/rooms/" + w.room()), signedIn(200)),
            row("PUT", "/rooms/{id}/members/me", Fresh.ROOM, w -> Request.of("/rooms/" + w.room() + "/members/me"), signedIn(200)),
            row("DELETE", "/rooms/{id}/members/me", Fresh.ROOM, w -> Request.of("/rooms/" + w.room() + "/members/me"), signedIn(204)),
            row("GET", "/rooms/{id}/members", w -> Request.of("/rooms/" + w.room() + "/members"), signedIn(200)),
            // Inviting the member again changes nothing; a stranger is not a member of the (public) room
            row("POST", "/rooms/{id}/invites", w -> Request.of("/rooms/" + w.room() + "/invites", Map.of("userId", w.member())),
                    members(204, 403)),
            // A direct room with the owner: made for the stranger and the member; the owner's own is refused
            row("POST", "/dms", w -> Request.of("/dms", Map.of("userId", w.owner())), expect(401, 401, 401, 201, 201, 422)),
            // Messages
            row("POST", "/rooms/{id}/messages", w -> Request.of("/rooms/" + w.room() + "/messages", Map.of("text", "hello")), members(201, 403)),
            row("GET", "/rooms/{id}/messages", w -> Request.of("/rooms/" + w.room() + "/messages"), members(200, 403)),
            // Only the author edits; the author or the room's owner deletes (here the owner is both)
            row("PATCH", "/rooms/{id}/messages/{seq}", w -> Request.of("/rooms/" + w.room() + "/messages/" + w.message(),
                    Map.of("text", "edited by its author")), owner(200, 403)),
            row("DELETE", "/rooms/{id}/messages/{seq}", Fresh.MESSAGE, w -> Request.of("/rooms/" + w.room() + "/messages/"
                    + w.message()), owner(204, 403)),
            row("PUT", "/rooms/{id}/messages/{seq}/reactions/{emoji}", w -> Request.of("/rooms/" + w.room() + "/messages/"
                    + w.message() + "/reactions/thumbsup"), members(200, 403)),
            row("DELETE", "/rooms/{id}/messages/{seq}/reactions/{emoji}", w -> Request.of("/rooms/" + w.room() + "/messages/"
                    + w.message() + "/reactions/thumbsup"), members(200, 403)),
            row("PUT", "/rooms/{id}/read", w -> Request.of("/rooms/" + w.room() + "/read", Map.of("seq", 0)), members(204, 403)),
            row("GET", "/openapi.json", w -> Request.of("/openapi.json"), anyone(200)),
            // Bot and quotes
            row("GET", "/quotes/random", w -> Request.of("/quotes/random"), signedIn(200)),
            row("GET", "/quotes", w -> Request.of("/quotes"), signedIn(200)),
            // Live: 101 = the socket was accepted and said welcome; 401 = refused (see call())
            row("GET", "/live", w -> Request.of("/live"), signedIn(101)),
            // Follows and the counter
            row("POST", "/users/{id}/follow/{targetId}", w -> Request.of("/users/" + w.owner() + "/follow/" + w.member()), owner(204, 403)),
            row("DELETE", "/users/{id}/follow/{targetId}", w -> Request.of("/users/" + w.owner() + "/follow/" + w.member()), owner(204, 403)),
            row("GET", "/users/{id}/follow/{targetId}", w -> Request.of("/users/" + w.owner() + "/follow/" + w.member()), signedIn(200)),
            row("GET", "/users/{id}/followers", w -> Request.of("/users/" + w.member() + "/followers"), signedIn(200)),
            row("GET", "/users/{id}/following", w -> Request.of("/users/" + w.owner() + "/following"), signedIn(200)),
            row("GET", "/counter", w -> Request.of("/counter"), anyone(200)),
            // Posts and comments: public rooms are read by anyone signed in, written by members
            row("POST", "/rooms/{id}/posts", w -> Request.of("/rooms/" + w.room() + "/posts", Map.of("title", "a post")), members(201, 403)),
            row("GET", "/rooms/{id}/posts", w -> Request.of("/rooms/" + w.room() + "/posts"), signedIn(200)),
            row("GET", "/posts/{id}", w -> Request.of("/posts/" + w.post()), signedIn(200)),
            row("DELETE", "/posts/{id}", Fresh.POST, w -> Request.of("/posts/" + w.post()), owner(204, 403)),
            row("PUT", "/posts/{id}/vote", w -> Request.of("/posts/" + w.post() + "/vote", Map.of("value", 1)), members(200, 403)),
            row("POST", "/posts/{id}/comments", w -> Request.of("/posts/" + w.post() + "/comments", Map.of("text", "a comment")), members(201, 403)),
            row("GET", "/posts/{id}/comments", w -> Request.of("/posts/" + w.post() + "/comments"), signedIn(200)),
            // Moderation: the room's owner (the history: also the author, here the same user)
            row("GET", "/rooms/{id}/moderation/rules", w -> Request.of("/rooms/" + w.room() + "/moderation/rules"), owner(200, 403)),
            row("PUT", "/rooms/{id}/moderation/rules", w -> Request.of("/rooms/" + w.room() + "/moderation/rules",
                    Map.of("blockedWords", List.of(), "holdWords", List.of(), "holdAll", false)), owner(200, 403)),
            row("GET", "/rooms/{id}/moderation/queue", w -> Request.of("/rooms/" + w.room() + "/moderation/queue"), owner(200, 403)),
            row("PUT", "/moderation/{kind}/{id}", Fresh.POST, w -> Request.of("/moderation/post/" + w.post(),
                    Map.of("decision", "reject", "reason", "matrix")), owner(200, 403)),
            row("GET", "/moderation/{kind}/{id}/history", w -> Request.of("/moderation/post/" + w.post() + "/history"), owner(200, 403)),
            // Jobs and imports: a job is its owner's alone
            row("POST", "/jobs", w -> Request.of("/jobs", Map.of("kind", "export-room", "roomId", w.room().toString(),
                    "format", "jsonl")), members(202, 403)),
            row("GET", "/jobs", w -> Request.of("/jobs"), signedIn(200)),
            row("GET", "/jobs/{id}", w -> Request.of("/jobs/" + w.job()), owner(200, 404)),
            row("DELETE", "/jobs/{id}", Fresh.JOB, w -> Request.of("/jobs/" + w.job()), owner(202, 404)),
            row("GET", "/jobs/{id}/result", w -> Request.of("/jobs/" + w.job() + "/result"), owner(200, 404)),
            row("POST", "/rooms/{id}/imports", w -> new Request("/rooms/" + w.room() + "/imports?format=reddit", null,
                    "{\"name\":\"t3_matrix\",\"title\":\"imported\",\"created_utc\":1700000000}\n", "application/x-ndjson"),
                    owner(202, 403)),
            // MQTT bridge
            row("GET", "/rooms/{id}/mqtt", w -> Request.of("/rooms/" + w.room() + "/mqtt"), owner(200, 403)),
            row("PUT", "/rooms/{id}/mqtt", w -> Request.of("/rooms/" + w.room() + "/mqtt", Map.of("enabled", false)), owner(200, 403)),
            // Topics
            row("GET", "/users/me/topics", w -> Request.of("/users/me/topics"), signedIn(200)),
            row("PUT", "/users/me/topics", w -> Request.of("/users/me/topics", Map.of("follow", List.of("java"), "mute", List.of())), signedIn(200)),
            row("GET", "/posts/{id}/labels", w -> Request.of("/posts/" + w.post() + "/labels"), signedIn(200)),
            row("PUT", "/posts/{id}/labels", w -> Request.of("/posts/" + w.post() + "/labels", Map.of("labels", List.of("later"))), signedIn(200)),
            row("GET", "/users/me/labels/{tag}/posts", w -> Request.of("/users/me/labels/later/posts"), signedIn(200)),
            row("GET", "/topics/{tag}/posts", w -> Request.of("/topics/java/posts"), signedIn(200)),
            row("GET", "/feed", w -> Request.of("/feed"), signedIn(200)),
            row("GET", "/search", w -> Request.of("/search?q=matrix"), signedIn(200)),
            row("GET", "/posts/{id}/similar", w -> Request.of("/posts/" + w.post() + "/similar"), signedIn(200)));

    private static LocalDeployment deployment;
    private static BabbleClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<Caller, Account> accounts = new EnumMap<>(Caller.class);
    private static World shared;

    /** A user with a password, signing in again when its token nears the session lifetime. */
    private static final class Account {
        final String username;
        final UUID id;
        private String token;
        private long signedInAt;

        Account(String username) {
            this.username = username;
            this.id = client.register(username, E2E.PASSWORD, null).id();
        }

        synchronized String token() {
            if (token == null || System.nanoTime() - signedInAt > Duration.ofSeconds(SESSION_TTL_SECONDS / 3).toNanos()) {
                token = freshToken();
                signedInAt = System.nanoTime();
            }
            return token;
        }

        String freshToken() {
            return client.login(username, E2E.PASSWORD).token();
        }
    }

    @BeforeAll
    static void start() {
        deployment = LocalDeployment.start("access-matrix", Deployments.mode(), 1,
                Map.of("BABBLE_USERS_SESSION_TTL", SESSION_TTL_SECONDS + "s", "BABBLE_JOBS_PROBE", "true"));
        client = new BabbleClient(deployment.baseUrl());
        for (Caller caller : List.of(Caller.STRANGER, Caller.MEMBER, Caller.OWNER)) {
            accounts.put(caller, new Account(E2E.uniqueName(caller.name().toLowerCase())));
        }
        shared = world(Fresh.NOTHING);
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    /** A room of the owner's with the member in it, an approved post of the owner's in it, a job of the owner's. */
    private static World world(Fresh fresh) {
        String owner = accounts.get(Caller.OWNER).token();
        String member = accounts.get(Caller.MEMBER).token();
        if (shared != null && fresh == Fresh.NOTHING) {
            return shared;
        }
        UUID room = shared != null && fresh != Fresh.ROOM ? shared.room()
                : UUID.fromString(ok(E2E.whenAvailable(() -> client.call("POST", "/api/v1/rooms", Map.of("name", "matrix"), owner)))
                        .json().get("id").asText());
        if (shared == null || fresh == Fresh.ROOM) {
            ok(client.call("PUT", "/api/v1/rooms/" + room + "/members/me", null, member));
        }
        String post = shared != null && fresh != Fresh.POST ? shared.post() : approvedPost(room, owner);
        // The shared job is an export that finishes (its result is asked for); a fresh one, to be cancelled, is a
        // probe that runs for 10 s: an export of this small room could finish before the cancel (409).
        String job = shared == null ? ok(client.call("POST", "/api/v1/jobs", Map.of("kind", "export-room", "roomId",
                        room.toString(), "format", "jsonl"), owner)).json().get("id").asText()
                : fresh != Fresh.JOB ? shared.job()
                : ok(client.call("POST", "/api/v1/jobs", Map.of("kind", "probe", "steps", 40, "stepMillis", 250), owner))
                        .json().get("id").asText();
        if (shared == null) { // the shared job finishes, so its result can be asked for
            await().atMost(Duration.ofSeconds(30)).until(() -> client.call("GET", "/api/v1/jobs/" + job, null,
                    accounts.get(Caller.OWNER).token()).json().get("status").asText().equals("succeeded"));
        }
        long message = shared != null && fresh != Fresh.MESSAGE ? shared.message()
                : ok(E2E.whenAvailable(() -> client.call("POST", "/api/v1/rooms/" + room + "/messages",
                        Map.of("text", "the owner's"), owner))).json().get("seq").asLong();
        return new World(room, post, job, accounts.get(Caller.OWNER).id, accounts.get(Caller.MEMBER).id, message);
    }

    private static String approvedPost(UUID room, String token) {
        // Retried while 503: a freshly started processes deployment may be too cold to answer its first post in time.
        String id = ok(E2E.whenAvailable(() -> client.call("POST", "/api/v1/rooms/" + room + "/posts", Map.of("title", "matrix post",
                "tags", List.of("java")), token))).json().get("id").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            var post = client.call("GET", "/api/v1/posts/" + id, null, accounts.get(Caller.OWNER).token());
            return post.status() == 200 && post.json().get("status").asText().equals("approved");
        });
        return id;
    }

    private static ApiResponse ok(ApiResponse response) {
        assertThat(response.isSuccess()).as(response.status() + " " + response.text()).isTrue();
        return response;
    }

    @Test
    void everyOperationOfTheApiHasARowAndEveryRowAnOperation() {
        var document = client.call("GET", "/api/v1/openapi.json", null, null).json();
        var operations = new TreeSet<String>();
        document.get("paths").fieldNames().forEachRemaining(path -> document.get("paths").get(path).fieldNames()
                .forEachRemaining(method -> {
                    if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
                        operations.add(method.toUpperCase() + " " + path);
                    }
                }));
        var declared = new TreeSet<String>();
        ROWS.forEach(r -> assertThat(declared.add(r.operation())).as("a second row for " + r.operation()).isTrue());
        assertThat(declared).as("rows of the access matrix (AccessMatrixIT.ROWS) vs operations of the OpenAPI document")
                .isEqualTo(operations);
    }

    @Test
    void everyKindOfCallerGetsWhatTheMatrixSays() {
        String revoked = accounts.get(Caller.MEMBER).freshToken();
        ok(client.call("DELETE", "/api/v1/sessions/current", null, revoked));
        String expired = accounts.get(Caller.STRANGER).freshToken();
        // An expired token: wait out the session lifetime this deployment was given.
        await().atMost(Duration.ofSeconds(SESSION_TTL_SECONDS * 3L)).pollInterval(Duration.ofMillis(500))
                .until(() -> client.call("GET", "/api/v1/users/me", null, expired).status() == 401);

        var wrong = new ArrayList<String>();
        int calls = 0;
        for (Row row : ROWS) {
            for (Caller caller : Caller.values()) {
                World world = row.fresh() == Fresh.NOTHING || row.fresh() == Fresh.TOKEN ? world(Fresh.NOTHING) : world(row.fresh());
                String token = switch (caller) {
                    case NONE -> null;
                    case REVOKED -> revoked;
                    case EXPIRED -> expired;
                    default -> row.fresh() == Fresh.TOKEN ? accounts.get(caller).freshToken() : accounts.get(caller).token();
                };
                Request request = row.request().apply(world);
                int status = call(row, request, token);
                calls++;
                int expected = row.expected().get(caller);
                if (status != expected) {
                    wrong.add(String.format("%-40s %-8s expected %d, got %d", row.operation(), caller, expected, status));
                }
            }
        }
        E2E.reportFailureTest("access matrix", Map.of("operations", ROWS.size(), "callers", Caller.values().length, "calls", calls,
                "wrong", wrong.size()));
        assertThat(wrong).as("cells of the access matrix that answered otherwise").isEmpty();
    }

    private static final Pattern PROBLEM = Pattern.compile("application/problem\\+json");

    /** One cell: the status, after checking that an error is problem+json. */
    private static int call(Row row, Request request, String token) {
        if (row.operation().equals("GET /live")) {
            return live(token);
        }
        ApiResponse response;
        if (request.rawBody() != null) {
            response = client.send(row.method(), "/api/v1" + request.path(),
                    HttpRequest.BodyPublishers.ofString(request.rawBody(), StandardCharsets.UTF_8), request.contentType(),
                    token, Map.of(), Duration.ofSeconds(30));
        } else {
            response = client.call(row.method(), "/api/v1" + request.path(), request.body(), token, Map.of());
        }
        if (response.status() >= 400) {
            assertThat(response.contentType()).as(row.operation() + " answered " + response.status() + " with "
                    + response.text()).containsPattern(PROBLEM);
        }
        return response.status();
    }

    /** 101 when the socket is accepted and welcomes the caller, 401 when it is refused. */
    private static int live(String token) {
        if (token == null) {
            try (var socket = LiveClient.connectWithQueryToken(HTTP, deployment.baseUrl(), null)) {
                socket.subscribe(UUID.randomUUID(), 0);
                JsonNode error = socket.awaitType("error", Duration.ofSeconds(5));
                return error.get("status").asInt();
            }
        }
        try (var socket = LiveClient.connectWithQueryToken(HTTP, deployment.baseUrl(), token)) {
            socket.awaitType("welcome", Duration.ofSeconds(5));
            return 101;
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("401")) {
                return 401;
            }
            throw e;
        }
    }
}
