package babble.app;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the commands of the public API ({@code export}, {@code import}) share on the command line. */
final class ApiCommandLine {
    private ApiCommandLine() {
    }

    /** Runs a command of the public API ({@code export}, {@code import}) with its output and its usage errors. */
    static int execute(Object command, String name, PrintStream out, PrintStream err, String... args) {
        var commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, arguments) -> usageError(e, name));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("babble: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ApiSession.FAILED;
        });
        return commandLine.execute(args);
    }

    /** Bad usage in one line and a hint, not the whole help (Main hands these commands' usage errors here too). */
    static int usageError(ParameterException e, String name) {
        var err = e.getCommandLine().getErr();
        err.println("babble: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try ./babble " + name + " --help");
        return ApiSession.USAGE;
    }

    /** Checks --url, the same for every command of the public API. */
    static void checkUrl(CommandSpec spec, URI url) {
        if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address, not '" + url + "'");
        }
    }
}
