package babble.app;

import babble.app.ApiSession.Failure;
import babble.client.ApiResponse;
import babble.contracts.api.JobView;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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
    ApiSession.Credentials credentials;

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
        return ApiCommandLine.execute(command, "export", out, err, args);
    }

    @Override
    public Integer call() {
        if (!format.equals("jsonl") && !format.equals("markdown")) {
            throw new ParameterException(spec.commandLine(), "--format must be jsonl or markdown, not '" + format + "'");
        }
        ApiCommandLine.checkUrl(spec, url);
        try (var api = ApiSession.open(url, credentials, env)) {
            return export(api);
        } catch (Failure f) {
            stderr.println("babble: " + f.getMessage());
            return f.code;
        }
    }

    private int export(ApiSession api) {
        Path file = out.toAbsolutePath().normalize();
        checkWritable(file);
        ApiSession.Target target = api.room(room);
        var partial = new AtomicReference<Path>();
        try (var watch = new JobWatch(api, stderr, env, "exporting", "messages", () -> deleteQuietly(partial.get()))) {
            long began = System.nanoTime();
            JobView job = watch.follow(submit(api, target), target.name(), began);
            if (!job.status().equals("succeeded")) {
                throw JobWatch.notSucceeded(job, "the export of " + target.name());
            }
            return download(api, target, job, file, partial, began);
        }
    }

    /** Fails before any job runs when FILE could not be written (its directory is created only at the end). */
    private static void checkWritable(Path file) {
        if (Files.isDirectory(file)) {
            throw new Failure(ApiSession.USAGE, "--out " + file + " is a directory; name a file");
        }
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new Failure(ApiSession.FAILED, "cannot write " + file + ": " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new Failure(ApiSession.FAILED, "cannot write " + file + ": permission denied (" + existing + ")");
        }
    }

    /** Submits the job; one key for every try, so a retried submit never starts a second export. */
    private JobView submit(ApiSession api, ApiSession.Target target) {
        var body = Map.of("kind", "export-room", "roomId", target.id().toString(), "format", format);
        ApiResponse r = api.callRetrying("POST", "/api/v1/jobs", body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        if (r.status() == 403) {
            throw new Failure(ApiSession.NO_ROOM, "you are not a member of room " + target.name() + " (" + ApiSession.problem(r) + ")");
        }
        if (r.status() == 404) {
            throw new Failure(ApiSession.NO_ROOM, "there is no room " + target.name());
        }
        return ApiSession.ok(r, "starting the export").as(JobView.class);
    }

    /** Streams the result to a temporary file beside FILE, checks its size, then moves it into place. */
    private int download(ApiSession api, ApiSession.Target target, JobView job, Path file, AtomicReference<Path> partial,
                         long began) {
        Path temp;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new Failure(ApiSession.FAILED, "cannot write " + file + ": " + fileReason(e));
        }
        partial.set(temp);
        try {
            HttpResponse<InputStream> response;
            try {
                response = api.client().stream("/api/v1/jobs/" + job.id() + "/result", api.token(), Map.of());
            } catch (UncheckedIOException e) {
                throw api.unreachable(e);
            }
            long written;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    byte[] text = body.readNBytes(16 * 1024);
                    ApiSession.ok(new ApiResponse(response.statusCode(), response.headers(), text), "downloading the export");
                    throw new Failure(ApiSession.UNREACHABLE, "the server answered " + response.statusCode() + " to the download");
                }
                written = Files.copy(body, temp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new Failure(ApiSession.FAILED, "the download to " + file + " failed: " + fileReason(e));
            }
            Object expected = job.result() == null ? null : job.result().get("bytes");
            if (expected instanceof Number n && n.longValue() != written) {
                throw new Failure(ApiSession.FAILED, "the download to " + file + " stopped short: " + written + " of " + n + " bytes");
            }
            try {
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new Failure(ApiSession.FAILED, "cannot write " + file + ": " + fileReason(e));
            }
            Object messages = job.result() == null ? null : job.result().get("messages");
            long count = messages instanceof Number n ? n.longValue() : job.progress() == null ? 0 : job.progress().done();
            stdout.printf("exported %s message%s from %s to %s (%s, %s bytes) in %s%n", ProgressBar.count(count),
                    count == 1 ? "" : "s", target.name(), file, ProgressBar.bytes(written), ProgressBar.count(written),
                    ProgressBar.seconds(JobWatch.since(began)));
            stdout.flush();
            return 0;
        } finally {
            partial.set(null);
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .part file, harmless
        }
    }

    /** What went wrong with a file, for people: the JDK's messages are often the path alone. */
    static String fileReason(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied (" + a.getFile() + ")";
            case java.nio.file.NoSuchFileException n -> "no such file or directory (" + n.getFile() + ")";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason() + " (" + f.getFile() + ")";
            default -> ApiSession.reason(e);
        };
    }
}
