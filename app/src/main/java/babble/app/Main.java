package babble.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code babble} command line: {@code up}, {@code service NAME}, {@code export ROOM}, {@code import reddit FILE},
 * {@code sample reddit}, {@code help}.
 */
@Command(name = "babble", mixinStandardHelpOptions = true, version = "Babble 0.1.0",
        description = "A multi-user community chat platform built as Java microservices.",
        subcommands = {UpCommand.class, ServiceCommand.class, ExportCommand.class, ImportCommand.class,
                SampleCommand.class, DropNamespaceCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        var commandLine = new CommandLine(new Main());
        var usage = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((e, arguments) -> switch (e.getCommandLine().getCommand()) {
            case ExportCommand export -> ApiCommandLine.usageError(e, "export");
            case ImportCommand imports -> ApiCommandLine.usageError(e, "import");
            case SampleCommand sample -> ApiCommandLine.usageError(e, "sample");
            default -> usage.handleParseException(e, arguments);
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("babble: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        int code = commandLine.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
