package babble.app;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.contracts.api.JobView;
import babble.contracts.api.MyRoomList;
import babble.contracts.api.MyRoomView;
import babble.contracts.api.SessionView;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code babble export ROOM --out FILE}: a room's history to a file, through the public API only, like any outside
 * program: an {@code export-room} job is submitted, followed (a progress bar on stderr) until it ends, and its
 * result streamed to a temporary file next to FILE, then moved into place. Ctrl-C cancels the job.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a room's history (JSON Lines or Markdown) to a file, through the public API of a "
                + "running Babble: submits an export-room job, shows its progress on stderr, downloads the result. "
                + "Ctrl-C cancels the job.",
                "Credentials: --token, --user (password from BABBLE_PASSWORD, else asked on the console), "
                        + "or BABBLE_TOKEN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the file was written",
                "1:the export failed or was cancelled, or the file could not be written",
                "2:bad usage",
                "3:the server could not be reached, or answered with an error",
                "4:not signed in: no credentials, a refused token or a wrong password",
                "5:no such room, or not a member of it"})
public final class ExportCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int UNAUTHORIZED = 4;
    static final int NO_ROOM = 5;

    private static final Duration POLL_EVERY = Duration.ofMillis(300);
    private static final Duration LINE_EVERY = Duration.ofSeconds(5);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    @Parameters(index = "0", paramLabel = "ROOM", description = "A room id, or the name of one of your rooms.")
    String room;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where to write the export (replaced if it exists; its directory is created if missing).")
    Path out;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|markdown",
            description = "jsonl (each line a message as the REST API returns it) or markdown. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--url", defaultValue = "http://localhost:8080", paramLabel = "URL",
            description = "The Babble to export from. Default: ${DEFAULT-VALUE}.")
    URI url;

    @ArgGroup(exclusive = true)
    Credentials credentials;

    static final class Credentials {
        @Option(names = "--token", paramLabel = "TOKEN", description = "A session token (else BABBLE_TOKEN).")
        String token;

        @Option(names = "--user", paramLabel = "NAME",
                description = "Sign in as NAME; the password comes from BABBLE_PASSWORD or is asked on the console. "
                        + "The session is signed out again at the end.")
        String user;
    }

    @Spec
    CommandSpec spec;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;
    private Map<String, String> env = System.getenv();

    /** Runs {@code babble export ARGS} in this JVM and returns its exit code (for tests and other programs). */
    public static int run(String... args) {
        return run(System.out, System.err, System.getenv(), args);
    }

    /**
     * The same with its own output streams and environment (only {@code BABBLE_TOKEN} and {@code BABBLE_PASSWORD}
     * are read from it): the summary goes to {@code out}, progress and errors to {@code err}.
     */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        var command = new ExportCommand();
        command.stdout = out;
        command.stderr = err;
        command.env = env;
        var commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler(ExportCommand::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("babble: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        });
        return commandLine.execute(args);
    }

    /** Bad usage in one line and a hint, not the whole help (Main hands export's usage errors here too). */
    static int usageError(ParameterException e, String[] args) {
        var err = e.getCommandLine().getErr();
        err.println("babble: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try ./babble export --help");
        return USAGE;
    }

    /** Ends the command with a one-line message on stderr and an exit code. */
    static final class Failure extends RuntimeException {
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public Integer call() {
        if (!format.equals("jsonl") && !format.equals("markdown")) {
            throw new ParameterException(spec.commandLine(), "--format must be jsonl or markdown, not '" + format + "'");
        }
        if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address, not '" + url + "'");
        }
        try (var client = new BabbleClient(url, Duration.ofSeconds(10), null)) {
            var session = signIn(client);
            try {
                return export(client, session);
            } finally {
                session.signOut(client);
            }
        } catch (Failure f) {
            stderr.println("babble: " + f.getMessage());
            return f.code;
        }
    }

    /** A token to call with, and whether this command signed in for it (then it signs out at the end). */
    private record Session(String token, boolean ours) {
        void signOut(BabbleClient client) {
            if (ours) {
                try {
                    client.call("DELETE", "/api/v1/sessions/current", null, token);
                } catch (RuntimeException ignored) {
                    // the session expires on its own
                }
            }
        }
    }

    private Session signIn(BabbleClient client) {
        if (credentials != null && credentials.token != null) {
            return new Session(credentials.token.strip(), false);
        }
        if (credentials == null || credentials.user == null) {
            String token = env.get("BABBLE_TOKEN");
            if (token == null || token.isBlank()) {
                throw new Failure(UNAUTHORIZED, "not signed in: give --token TOKEN or --user NAME, or set BABBLE_TOKEN");
            }
            return new Session(token.strip(), false);
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
        ApiResponse r = call(client, "POST", "/api/v1/sessions",
                Map.of("username", credentials.user, "password", password), null, Map.of());
        if (r.status() == 401 || r.status() == 400) {
            throw new Failure(UNAUTHORIZED, "cannot sign in as " + credentials.user + ": wrong username or password");
        }
        return new Session(ok(r, "signing in").as(SessionView.class).token(), true);
    }

    /** The room to export: its id, and a name to show. */
    private record Target(UUID id, String name) {
    }

    private int export(BabbleClient client, Session session) {
        checkWritable(out.toAbsolutePath().normalize());
        Target target = resolve(client, session.token());
        boolean bar = interactive();
        var cancel = new CancelOnExit(url, session, stderr, bar);
        Thread hook = Thread.ofPlatform().name("babble-export-cancel").unstarted(cancel);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long began = System.nanoTime();
            JobView job = submit(client, session.token(), target);
            cancel.jobId = job.id();
            job = follow(client, session.token(), target, job, began, bar);
            cancel.jobEnded = true;
            switch (job.status()) {
                case "succeeded" -> {
                    return download(client, session.token(), target, job, cancel, began);
                }
                case "cancelled" -> throw new Failure(FAILED, "the export of " + target.name() + " was cancelled (job " + job.id() + ")");
                default -> throw new Failure(FAILED, "the export of " + target.name() + " failed after " + job.attempts()
                        + " attempt" + (job.attempts() == 1 ? "" : "s") + ": " + Objects.requireNonNullElse(job.error(), "no reason given"));
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it cancels the job
            }
        }
    }

    /** Fails before any job runs when FILE could not be written (its directory is created only at the end). */
    private static void checkWritable(Path file) {
        if (Files.isDirectory(file)) {
            throw new Failure(USAGE, "--out " + file + " is a directory; name a file");
        }
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new Failure(FAILED, "cannot write " + file + ": " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new Failure(FAILED, "cannot write " + file + ": permission denied (" + existing + ")");
        }
    }

    /** ROOM as an id (any room; the server says whether the caller may export it), else a name among their rooms. */
    private Target resolve(BabbleClient client, String token) {
        List<MyRoomView> mine = ok(call(client, "GET", "/api/v1/users/me/rooms", null, token, Map.of()), "listing your rooms")
                .as(MyRoomList.class).rooms();
        UUID id = uuid(room);
        if (id != null) {
            return new Target(id, mine.stream().filter(r -> r.id().equals(id)).map(MyRoomView::name).findFirst().orElse(room));
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
        return new Target(named.getFirst().id(), named.getFirst().name());
    }

    private static UUID uuid(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Submits the job; one key for every try, so a retried submit never starts a second export. */
    private JobView submit(BabbleClient client, String token, Target target) {
        var body = Map.of("kind", "export-room", "roomId", target.id().toString(), "format", format);
        var headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        ApiResponse r = null;
        for (int attempt = 1; ; attempt++) {
            try {
                r = call(client, "POST", "/api/v1/jobs", body, token, headers);
                if (attempt >= 3 || !transientStatus(r.status())) {
                    break;
                }
            } catch (Failure unreachable) {
                if (attempt >= 3) {
                    throw unreachable;
                }
            }
            pause(Duration.ofMillis(500L * attempt));
        }
        if (r.status() == 403) {
            throw new Failure(NO_ROOM, "you are not a member of room " + target.name() + " (" + problem(r) + ")");
        }
        if (r.status() == 404) {
            throw new Failure(NO_ROOM, "there is no room " + target.name());
        }
        return ok(r, "starting the export").as(JobView.class);
    }

    /** Polls the job until it ends, drawing its progress; a server lost for a while is waited for. */
    private JobView follow(BabbleClient client, String token, Target target, JobView job, long began, boolean bar) {
        var view = bar ? new BarView(stderr) : new LineView(stderr);
        long tick = 0;
        String notice = null;
        long lostSince = 0;
        while (!ended(job)) {
            JobView now = job;
            String line = ProgressBar.line(target.name(), now.status(), now.progress() == null ? 0 : now.progress().done(),
                    now.progress() == null ? null : now.progress().total(), now.attempts(), since(began), tick++);
            if (now.error() != null && now.status().equals("queued") && !(now.attempts() + now.error()).equals(notice)) {
                notice = now.attempts() + now.error();
                view.notice("attempt " + now.attempts() + " failed: " + now.error() + "; retrying");
            }
            view.show(line, now.status() + "/" + now.attempts());
            pause(POLL_EVERY);
            try {
                ApiResponse r = call(client, "GET", "/api/v1/jobs/" + job.id(), null, token, Map.of());
                if (transientStatus(r.status())) {
                    throw new Failure(UNREACHABLE, "the server answered " + r.status() + ": " + problem(r));
                }
                job = ok(r, "following the export").as(JobView.class);
                lostSince = 0;
            } catch (Failure lost) {
                if (lost.code != UNREACHABLE) {
                    throw lost;
                }
                lostSince = lostSince == 0 ? System.nanoTime() : lostSince;
                if (System.nanoTime() - lostSince > GIVE_UP_AFTER.toNanos()) {
                    view.end();
                    throw new Failure(UNREACHABLE, lost.getMessage() + " for " + GIVE_UP_AFTER.toSeconds()
                            + " s; job " + job.id() + " may still be running there");
                }
            }
        }
        if (job.status().equals("succeeded")) {
            long total = job.progress() == null ? 0 : job.progress().done();
            view.show(ProgressBar.line(target.name(), "succeeded", total, total, job.attempts(), since(began), tick), "done");
        }
        view.end();
        return job;
    }

    /** Streams the result to a temporary file beside FILE, checks its size, then moves it into place. */
    private int download(BabbleClient client, String token, Target target, JobView job, CancelOnExit cancel, long began) {
        Path file = out.toAbsolutePath().normalize();
        Path temp;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new Failure(FAILED, "cannot write " + file + ": " + fileReason(e));
        }
        cancel.temp = temp;
        try {
            HttpResponse<InputStream> response;
            try {
                response = client.stream("/api/v1/jobs/" + job.id() + "/result", token, Map.of());
            } catch (UncheckedIOException e) {
                throw unreachable(e);
            }
            long written;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    byte[] text = body.readNBytes(16 * 1024);
                    ok(new ApiResponse(response.statusCode(), response.headers(), text), "downloading the export");
                    throw new Failure(UNREACHABLE, "the server answered " + response.statusCode() + " to the download");
                }
                written = Files.copy(body, temp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new Failure(FAILED, "the download to " + file + " failed: " + fileReason(e));
            }
            Object expected = job.result() == null ? null : job.result().get("bytes");
            if (expected instanceof Number n && n.longValue() != written) {
                throw new Failure(FAILED, "the download to " + file + " stopped short: " + written + " of " + n + " bytes");
            }
            try {
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new Failure(FAILED, "cannot write " + file + ": " + fileReason(e));
            }
            Object messages = job.result() == null ? null : job.result().get("messages");
            long count = messages instanceof Number n ? n.longValue() : job.progress() == null ? 0 : job.progress().done();
            stdout.printf("exported %s message%s from %s to %s (%s, %s bytes) in %s%n", ProgressBar.count(count),
                    count == 1 ? "" : "s", target.name(), file, ProgressBar.bytes(written), ProgressBar.count(written),
                    ProgressBar.seconds(since(began)));
            stdout.flush();
            return 0;
        } finally {
            cancel.temp = null;
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover .part file, harmless
            }
        }
    }

    /** Any call, with an unreachable server turned into a one-line failure. */
    private ApiResponse call(BabbleClient client, String method, String path, Object body, String token,
                             Map<String, String> headers) {
        try {
            return client.call(method, path, body, token, headers);
        } catch (UncheckedIOException e) {
            throw unreachable(e);
        }
    }

    private Failure unreachable(UncheckedIOException e) {
        Throwable cause = e.getCause();
        String why = cause instanceof HttpTimeoutException ? "no answer within 10 s"
                : cause instanceof ConnectException ? "connection refused" : reason(cause);
        return new Failure(UNREACHABLE, "cannot reach Babble at " + url + " (" + why + ")");
    }

    /** The answer if it is 2xx; else the failure that fits its status. */
    private static ApiResponse ok(ApiResponse r, String doing) {
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
    private static String problem(ApiResponse r) {
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

    private static boolean transientStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static boolean ended(JobView job) {
        return !job.status().equals("queued") && !job.status().equals("running");
    }

    private static String reason(Throwable e) {
        return e == null ? "unknown" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** What went wrong with a file, for people: the JDK's messages are often the path alone. */
    private static String fileReason(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied (" + a.getFile() + ")";
            case java.nio.file.NoSuchFileException n -> "no such file or directory (" + n.getFile() + ")";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason() + " (" + f.getFile() + ")";
            default -> reason(e);
        };
    }

    private static Duration since(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(FAILED, "interrupted");
        }
    }

    /**
     * Whether stderr can take a bar redrawn in place: a console (stdin and stdout on a terminal; Java cannot ask
     * about stderr alone) that is really a terminal (JDK 22 to 24 give a console even when redirected), not TERM=dumb.
     */
    private boolean interactive() {
        Console console = System.console();
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console is a terminal
        }
    }

    /** Where the progress goes: a bar redrawn in place, or lines now and then. */
    private interface ProgressView {
        /** The current line; {@code state} changing (status, attempt) makes a line view print at once. */
        void show(String line, String state);

        /** A message of its own line, e.g. a failed attempt. */
        void notice(String message);

        void end();
    }

    /** Redraws one line with {@code \r}, padding over what a longer line left. */
    private static final class BarView implements ProgressView {
        private final PrintStream err;
        private int shown;

        BarView(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(String line, String state) {
            err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            err.flush();
            shown = line.length();
        }

        @Override
        public void notice(String message) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.println(message);
            shown = 0;
        }

        @Override
        public void end() {
            if (shown > 0) {
                err.println();
                shown = 0;
            }
        }
    }

    /** For a log or a pipe: a line at most every few seconds, and at once when the status or attempt changes. */
    private static final class LineView implements ProgressView {
        private final PrintStream err;
        private long last;
        private String state;

        LineView(PrintStream err) {
            this.err = err;
        }

        @Override
        public void show(String line, String newState) {
            long now = System.nanoTime();
            if (state == null || !Objects.equals(state, newState) || now - last >= LINE_EVERY.toNanos()) {
                err.println(line);
                last = now;
                state = newState;
            }
        }

        @Override
        public void notice(String message) {
            err.println(message);
        }

        @Override
        public void end() {
            // every line is whole already
        }
    }

    /** Ctrl-C (or SIGTERM) while the job runs: cancel it, drop the partial file, sign out a session of our own. */
    private static final class CancelOnExit implements Runnable {
        private final URI url;
        private final Session session;
        private final PrintStream err;
        private final boolean bar;
        volatile UUID jobId;
        volatile boolean jobEnded;
        volatile Path temp;

        CancelOnExit(URI url, Session session, PrintStream err, boolean bar) {
            this.url = url;
            this.session = session;
            this.err = err;
            this.bar = bar;
        }

        @Override
        public void run() {
            try (var client = new BabbleClient(url, Duration.ofSeconds(3), null)) {
                UUID jobId = this.jobId;
                if (jobId != null && !jobEnded) {
                    if (bar) {
                        err.println(); // below the bar
                    }
                    try {
                        ApiResponse r = client.call("DELETE", "/api/v1/jobs/" + jobId, null, session.token());
                        err.println(r.isSuccess() ? "babble: interrupted; cancelled the export (job " + jobId + ")"
                                : "babble: interrupted; could not cancel job " + jobId + ": " + problem(r));
                    } catch (RuntimeException e) {
                        err.println("babble: interrupted; could not cancel job " + jobId + ": " + reason(e));
                    }
                }
                Path partial = temp;
                if (partial != null) {
                    try {
                        Files.deleteIfExists(partial);
                    } catch (IOException ignored) {
                        // a leftover .part file, harmless
                    }
                }
                session.signOut(client);
            }
        }
    }
}
