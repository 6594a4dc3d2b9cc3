package babble.bot.domain;

import java.util.Locale;
import java.util.Optional;

/** What a chat message asks the bot: a quote (maybe by an author), the help text, or nothing. */
public sealed interface Command {

    record QuoteCommand(String authorWords) implements Command {
    }

    record HelpCommand() implements Command {
    }

    /** The command in a message's text, if it is one; unknown {@code !words} are not commands. */
    static Optional<Command> parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("!")) {
            return Optional.empty();
        }
        String[] parts = trimmed.split("\\s+", 2);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        return switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "!quote" -> Optional.of(new QuoteCommand(rest));
            case "!help" -> Optional.of(new HelpCommand());
            default -> Optional.empty();
        };
    }
}
