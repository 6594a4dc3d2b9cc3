package babble.app;

import babble.app.ApiSession.Failure;
import babble.client.ApiResponse;
import babble.client.BabbleClient;
import babble.contracts.api.ImportResult;
import babble.contracts.api.JobView;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code babble import reddit FILE --room NAME}: posts from a file in seed 004's reddit format into a room the caller
 * owns, through the public API only: the file is streamed from disk to {@code POST /rooms/{id}/imports} (never read
 * whole), the {@code import-posts} job it starts is followed (a progress bar on stderr) until it ends, and its counts
 * printed. Ctrl-C cancels the job.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import posts into a room you own from a file in the reddit format (one JSON object per line; "
                + "`babble sample reddit` writes one), through the public API of a running Babble: uploads the file, "
                + "shows the import job's progress on stderr, prints how many posts were imported, were there already "
                + "(an earlier import of the same posts) and how many lines were skipped, and why. Ctrl-C cancels the job.",
                "Credentials: --token, --user (password from BABBLE_PASSWORD, else asked on the console), "
                        + "or BABBLE_TOKEN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the import ran to its end (skipped lines are reported, not failures)",
                "1:the import failed or was cancelled, or the file could not be read or was refused (too large, empty)",
                "2:bad usage",
                "3:the server could not be reached, or answered with an error",
                "4:not signed in: no credentials, a refused token or a wrong password",
                "5:no such room, or you do not own it"})
public final class ImportCommand implements Callable<Integer> {
    private static final Duration DRAW_EVERY = Duration.ofMillis(300);
    private static final int ERRORS_SHOWN = 10;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "The file's format: reddit (the only one).")
    String format;

    @Parameters(index = "1", paramLabel = "FILE", description = "The file to import.")
    Path file;

    @Option(names = "--room", required = true, paramLabel = "ROOM",
            description = "A room id, or the name of one of your rooms; you must own it.")
    String room;

    @Option(names = "--url", defaultValue = "http://localhost:8080", paramLabel = "URL",
            description = "The Babble to import into. Default: ${DEFAULT-VALUE}.")
    URI url;

    @ArgGroup(exclusive = true)
    ApiSession.Credentials credentials;

    @Spec
    CommandSpec spec;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;
    private Map<String, String> env = System.getenv();

    /** Runs {@code babble import ARGS} in this JVM and returns its exit code (for tests and other programs). */
    public static int run(String... args) {
        return run(System.out, System.err, System.getenv(), args);
    }

    /**
     * The same with its own output streams and environment (only {@code BABBLE_TOKEN} and {@code BABBLE_PASSWORD}
     * are read from it): the summary goes to {@code out}, progress, skipped lines and errors to {@code err}.
     */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        var command = new ImportCommand();
        command.stdout = out;
        command.stderr = err;
        command.env = env;
        return ApiCommandLine.execute(command, "import", out, err, args);
    }

    @Override
    public Integer call() {
        if (!"reddit".equals(format)) {
            throw new ParameterException(spec.commandLine(), "the only format is reddit, not '" + format + "'");
        }
        ApiCommandLine.checkUrl(spec, url);
        try {
            Path path = file.toAbsolutePath().normalize();
            long size = readable(path);
            try (var api = ApiSession.open(url, credentials, env)) {
                return importFile(api, path, size);
            }
        } catch (Failure f) {
            stderr.println("babble: " + f.getMessage());
            return f.code;
        }
    }

    /** The file's size; fails before anything is sent when it cannot be read or holds nothing. */
    private static long readable(Path path) {
        try {
            if (!Files.isRegularFile(path)) {
                throw new Failure(ApiSession.FAILED, "cannot read " + path + ": "
                        + (Files.exists(path) ? "not a file" : "no such file"));
            }
            long size = Files.size(path);
            if (size == 0) {
                throw new Failure(ApiSession.FAILED, path + " is empty: nothing to import");
            }
            try (var probe = Files.newInputStream(path)) {
                probe.read();
            }
            return size;
        } catch (IOException e) {
            throw new Failure(ApiSession.FAILED, "cannot read " + path + ": " + ExportCommand.fileReason(e));
        }
    }

    private int importFile(ApiSession api, Path path, long size) {
        ApiSession.Target target = api.room(room);
        if (target.mine() != null && !target.mine().createdBy().equals(api.me())) {
            throw new Failure(ApiSession.NO_ROOM, "only the owner of room " + target.name() + " may import into it");
        }
        try (var watch = new JobWatch(api, stderr, env, "importing", "lines", () -> { })) {
            long began = System.nanoTime();
            JobView job;
            try {
                job = upload(api, watch, target, path, size, began);
            } finally {
                watch.endLine();
            }
            job = watch.follow(job, target.name(), began);
            if (!job.status().equals("succeeded")) {
                throw JobWatch.notSucceeded(job, "the import into " + target.name());
            }
            report(BabbleClient.json().convertValue(job.result(), ImportResult.class), target, path, began);
            return 0;
        }
    }

    /**
     * Streams the file to the import call, drawing how much is sent; tried again (with the same Idempotency-Key,
     * so never two imports) while the server is briefly away. Answers the job it started.
     */
    private JobView upload(ApiSession api, JobWatch watch, ApiSession.Target target, Path path, long size, long began) {
        String key = UUID.randomUUID().toString();
        String label = path.getFileName().toString();
        var sent = new AtomicLong();
        var body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            sent.set(0);
            try {
                return new Counting(Files.newInputStream(path), sent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), size);
        Duration timeout = Duration.ofSeconds(60 + size / (256 * 1024)); // at least 256 KiB/s
        Thread drawing = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                watch.show(ProgressBar.transfer("uploading", label, sent.get(), size, JobWatch.since(began)), "uploading");
                try {
                    Thread.sleep(DRAW_EVERY);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ApiResponse r = null;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    r = api.client().send("POST", "/api/v1/rooms/" + target.id() + "/imports?format=" + format, body,
                            "application/x-ndjson", api.token(), Map.of("Idempotency-Key", key), timeout);
                    if (attempt >= 3 || !ApiSession.transientStatus(r.status())) {
                        break;
                    }
                } catch (UncheckedIOException e) {
                    if (attempt >= 3) {
                        throw api.unreachable(e);
                    }
                }
                ApiSession.pause(Duration.ofMillis(500L * attempt));
            }
        } finally {
            drawing.interrupt();
            try {
                drawing.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watch.show(ProgressBar.transfer("uploading", label, sent.get(), size, JobWatch.since(began)), "uploaded");
        return switch (r.status()) {
            case 403 -> throw new Failure(ApiSession.NO_ROOM, "only the owner of room " + target.name()
                    + " may import into it (" + ApiSession.problem(r) + ")");
            case 404 -> throw new Failure(ApiSession.NO_ROOM, "there is no room " + target.name());
            case 413, 415, 422 -> throw new Failure(ApiSession.FAILED, "the server refused " + label + " ("
                    + r.status() + "): " + ApiSession.problem(r));
            default -> ApiSession.ok(r, "uploading " + label).as(JobView.class);
        };
    }

    /** The counts on stdout; the first skipped lines and why on stderr. */
    private void report(ImportResult result, ApiSession.Target target, Path path, long began) {
        stdout.printf("imported %s post%s from %s into %s (%s already there, %s line%s skipped) in %s%n",
                ProgressBar.count(result.imported()), result.imported() == 1 ? "" : "s", path.getFileName(),
                target.name(), ProgressBar.count(result.existing()), ProgressBar.count(result.skipped()),
                result.skipped() == 1 ? "" : "s", ProgressBar.seconds(JobWatch.since(began)));
        stdout.flush();
        var errors = result.errors() == null ? java.util.List.<ImportResult.ImportError>of() : result.errors();
        errors.stream().limit(ERRORS_SHOWN).forEach(e -> stderr.println("skipped line " + e.line() + ": " + e.reason()));
        if (result.skipped() > Math.min(errors.size(), ERRORS_SHOWN)) {
            stderr.println("... and " + ProgressBar.count(result.skipped() - Math.min(errors.size(), ERRORS_SHOWN))
                    + " more skipped line" + (result.skipped() - Math.min(errors.size(), ERRORS_SHOWN) == 1 ? "" : "s")
                    + " (the job's result lists the first " + errors.size() + ")");
        }
    }

    /** Counts the bytes read from the file, which is what has been handed to the connection. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong count;

        Counting(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
