package babble.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code babble sample reddit --lines N --out FILE}: a generated file to import ({@link RedditSample}). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write generated data in the reddit import format (one JSON object per line, as "
                + "`babble import reddit` and POST /api/v1/rooms/{id}/imports?format=reddit take it): posts with "
                + "titles and bodies from a word list, flairs as topics, authors, scores and times, written the several "
                + "ways the real data set writes them, and broken lines of every kind the import skips.",
                "The same arguments write the same file."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file was written", "1:the file could not be written", "2:bad usage"})
public final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FORMAT", description = "The format: reddit (the only one).")
    String format;

    @Option(names = "--lines", required = true, paramLabel = "N", description = "Lines in the file, broken ones included.")
    int lines;

    @Option(names = "--broken", defaultValue = "0", paramLabel = "K",
            description = "How many of the lines are broken (spread evenly; kinds: "
                    + "not JSON, not an object, no name, no title, empty title, bad created_utc, body too long, "
                    + "bad is_self). Default: ${DEFAULT-VALUE}.")
    int broken;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (replaced if it exists).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Another seed, another file. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Spec
    CommandSpec spec;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;

    /** Runs {@code babble sample ARGS} in this JVM with its own output (for tests); answers the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        var command = new SampleCommand();
        command.stdout = out;
        command.stderr = err;
        return ApiCommandLine.execute(command, "sample", out, err, args);
    }

    @Override
    public Integer call() {
        if (!"reddit".equals(format)) {
            throw new ParameterException(spec.commandLine(), "the only format is reddit, not '" + format + "'");
        }
        if (lines < 0 || broken < 0 || broken > lines) {
            throw new ParameterException(spec.commandLine(), "--lines and --broken must be 0 or more, with --broken at most --lines");
        }
        Path file = out.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), "--out " + file + " is a directory; name a file");
        }
        RedditSample.Summary written;
        try {
            written = RedditSample.write(file, lines, broken, seed);
        } catch (IOException e) {
            stderr.println("babble: cannot write " + file + ": " + ExportCommand.fileReason(e));
            return ApiSession.FAILED;
        }
        stdout.printf("wrote %s lines (%s posts, %s broken) to %s (%s)%n", ProgressBar.count(written.lines()),
                ProgressBar.count(written.posts()), ProgressBar.count(written.broken()), file, ProgressBar.bytes(written.bytes()));
        stdout.flush();
        return 0;
    }
}
