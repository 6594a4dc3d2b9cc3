package babble.app;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.contracts.api.MyRoomList;
import babble.contracts.api.MyRoomView;
import babble.contracts.api.SessionView;
import babble.contracts.api.UserView;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * How a command ({@code export}, {@code import}) talks to a running Babble through its public API alone, like any
 * outside program: it signs in (a token, or a user and password), calls, and turns every failure into one line and
 * an exit code ({@link Failure}). A session it signed in for is signed out at the end.
 */
final class ApiSession implements AutoCloseable {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int UNAUTHORIZED = 4;
    static final int NO_ROOM = 5;

    /** {@code --token} or {@code --user} (else {@code BABBLE_TOKEN}). */
    static final class Credentials {
        @Option(names = "--token", paramLabel = "TOKEN", description = "A session token (else BABBLE_TOKEN).")
        String token;

        @Option(names = "--user", paramLabel = "NAME",
                description = "Sign in as NAME; the password comes from BABBLE_PASSWORD or is asked on the console. "
                        + "The session is signed out again at the end.")
        String user;
    }

    /** Ends the command with a one-line message on stderr and an exit code. */
    static final class Failure extends RuntimeException {
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** A room the caller named: its id, and a name to show. */
    record Target(UUID id, String name, MyRoomView mine) {
    }

    private final BabbleClient client;
    private final URI url;
    private volatile String token;
    private volatile boolean ours;

    private ApiSession(URI url) {
        this.url = url;
        this.client = new BabbleClient(url, Duration.ofSeconds(10), null);
    }

    /** Signs in with the credentials given (or {@code BABBLE_TOKEN} from {@code env}). */
    static ApiSession open(URI url, Credentials credentials, Map<String, String> env) {
        var session = new ApiSession(url);
        try {
            session.signIn(credentials, env);
            return session;
        } catch (RuntimeException e) {
            session.client.close();
            throw e;
        }
    }

    URI url() {
        return url;
    }

    String token() {
        return token;
    }

    BabbleClient client() {
        return client;
    }

    private void signIn(Credentials credentials, Map<String, String> env) {
        if (credentials != null && credentials.token != null) {
            token = credentials.token.strip();
            return;
        }
        if (credentials == null || credentials.user == null) {
            String fromEnv = env.get("BABBLE_TOKEN");
            if (fromEnv == null || fromEnv.isBlank()) {
                throw new Failure(UNAUTHORIZED, "not signed in: give --token TOKEN or --user NAME, or set BABBLE_TOKEN");
            }
            token = fromEnv.strip();
            return;
        }
        String password = env.get("BABBLE_PASSWORD");
        if (password == null) {
            Console console = System.console();
            if (console == null) {
                throw new Failure(USAGE, "no console to ask for " + credentials.user + "'s password: set BABBLE_PASSWORD");
            }
            char[] typed = console.readPassword("Password for %s: ", credentials.user);
            if (typed == null) {
                throw new Failure(USAGE, "no password given");
            }
            password = new String(typed);
        }
        ApiResponse r = call("POST", "/api/v1/sessions", Map.of("username", credentials.user, "password", password), Map.of());
        if (r.status() == 401 || r.status() == 400) {
            throw new Failure(UNAUTHORIZED, "cannot sign in as " + credentials.user + ": wrong username or password");
        }
        token = ok(r, "signing in").as(SessionView.class).token();
        ours = true;
    }

    /** Any call as the signed-in user, with an unreachable server turned into a one-line failure. */
    ApiResponse call(String method, String path, Object body, Map<String, String> headers) {
        try {
            return client.call(method, path, body, token, headers);
        } catch (UncheckedIOException e) {
            throw unreachable(e);
        }
    }

    /** A POST that may be repeated (it carries an Idempotency-Key): tried again while the server is briefly away. */
    ApiResponse callRetrying(String method, String path, Object body, Map<String, String> headers) {
        ApiResponse r = null;
        for (int attempt = 1; ; attempt++) {
            try {
                r = call(method, path, body, headers);
                if (attempt >= 3 || !transientStatus(r.status())) {
                    return r;
                }
            } catch (Failure unreachable) {
                if (attempt >= 3) {
                    throw unreachable;
                }
            }
            pause(Duration.ofMillis(500L * attempt));
        }
    }

    /** The signed-in user's id. */
    UUID me() {
        return ok(call("GET", "/api/v1/users/me", null, Map.of()), "asking who you are").as(UserView.class).id();
    }

    /** ROOM as an id (any room; the server says what the caller may do with it), else a name among their rooms. */
    Target room(String room) {
        List<MyRoomView> mine = ok(call("GET", "/api/v1/users/me/rooms", null, Map.of()), "listing your rooms")
                .as(MyRoomList.class).rooms();
        UUID id = uuid(room);
        if (id != null) {
            var known = mine.stream().filter(r -> r.id().equals(id)).findFirst();
            return new Target(id, known.map(MyRoomView::name).orElse(room), known.orElse(null));
        }
        var named = mine.stream().filter(r -> r.name().equals(room)).toList();
        if (named.isEmpty()) {
            named = mine.stream().filter(r -> r.name().equalsIgnoreCase(room)).toList();
        }
        if (named.size() > 1) {
            throw new Failure(NO_ROOM, named.size() + " of your rooms are named '" + room + "'; give the id of one: "
                    + named.stream().map(r -> r.id().toString()).collect(Collectors.joining(", ")));
        }
        if (named.isEmpty()) {
            String yours = mine.isEmpty() ? "you are in no rooms"
                    : "your rooms: " + mine.stream().limit(10).map(MyRoomView::name).collect(Collectors.joining(", "))
                    + (mine.size() > 10 ? ", ..." : "");
            throw new Failure(NO_ROOM, "you are not a member of a room named '" + room + "' (" + yours + ")");
        }
        return new Target(named.getFirst().id(), named.getFirst().name(), named.getFirst());
    }

    Failure unreachable(UncheckedIOException e) {
        Throwable cause = e.getCause();
        String why = cause instanceof HttpTimeoutException ? "no answer in time"
                : cause instanceof ConnectException ? "connection refused" : reason(cause);
        return new Failure(UNREACHABLE, "cannot reach Babble at " + url + " (" + why + ")");
    }

    /** The answer if it is 2xx; else the failure that fits its status. */
    static ApiResponse ok(ApiResponse r, String doing) {
        if (r.isSuccess()) {
            return r;
        }
        switch (r.status()) {
            case 401 -> throw new Failure(UNAUTHORIZED, "the token was refused (401): it is wrong, expired or signed out");
            case 403 -> throw new Failure(NO_ROOM, "not allowed (403): " + problem(r));
            case 404 -> throw new Failure(NO_ROOM, "not found (404): " + problem(r));
            default -> throw new Failure(UNREACHABLE, doing + ": the server answered " + r.status() + ": " + problem(r));
        }
    }

    /** The detail of a problem+json answer, else its title, else its text. */
    static String problem(ApiResponse r) {
        try {
            JsonNode json = r.json();
            if (json != null && json.hasNonNull("detail")) {
                return json.get("detail").asText();
            }
            if (json != null && json.hasNonNull("title")) {
                return json.get("title").asText();
            }
        } catch (RuntimeException notJson) {
            // fall through to the text
        }
        String text = new String(r.body(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "no details" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    static boolean transientStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    static String reason(Throwable e) {
        return e == null ? "unknown" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(FAILED, "interrupted");
        }
    }

    private static UUID uuid(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Signs out a session this command signed in for, then lets the client go. */
    @Override
    public void close() {
        try {
            if (ours) {
                signOut(client);
            }
        } finally {
            client.close();
        }
    }

    /** Signs out through {@code other} (a shutdown hook's own client); nothing for a session not ours. */
    void signOut(BabbleClient other) {
        if (!ours) {
            return;
        }
        try {
            other.call("DELETE", "/api/v1/sessions/current", null, token);
            ours = false;
        } catch (RuntimeException ignored) {
            // the session expires on its own
        }
    }
}
