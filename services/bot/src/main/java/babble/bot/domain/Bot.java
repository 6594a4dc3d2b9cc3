package babble.bot.domain;

import babble.contracts.api.MessageView;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's behaviour: for each new message that is a command, one reply. The reply's idempotency key is
 * derived from the trigger's id, so however often a trigger is delivered, it is answered once.
 */
public final class Bot {
    static final String HELP = "Commands: !quote gives a random quote · !quote <author> gives a quote by that author"
            + " · !help shows this list";
    static final String UNAVAILABLE = "Quotes are unavailable right now. Please try again in a moment.";
    private static final Logger log = LoggerFactory.getLogger(Bot.class);

    private final QuoteSource quotes;
    private final Chat chat;
    private final Clock clock;
    private final Duration maxTriggerAge;

    public Bot(QuoteSource quotes, Chat chat, Clock clock, Duration maxTriggerAge) {
        this.quotes = quotes;
        this.chat = chat;
        this.clock = clock;
        this.maxTriggerAge = maxTriggerAge;
    }

    public void onMessage(MessageView message) {
        if (message.userId().equals(chat.botUserId())) {
            return; // never answer itself
        }
        Optional<Command> command = Command.parse(message.text());
        if (command.isEmpty()) {
            return;
        }
        if (message.createdAt().isBefore(clock.instant().minus(maxTriggerAge))) {
            log.info("not answering {} in room {}: older than {}", message.id(), message.roomId(), maxTriggerAge);
            return;
        }
        String reply = switch (command.get()) {
            case Command.HelpCommand help -> HELP;
            case Command.QuoteCommand quote -> quoteReply(quote.authorWords());
        };
        chat.reply(message.roomId(), reply, "bot-reply-" + message.id());
    }

    private String quoteReply(String authorWords) {
        try {
            return quotes.random(authorWords)
                    .map(q -> "\u201C" + q.text() + "\u201D \u2014 " + q.author())
                    .orElse("I have no quotes by \u201C" + authorWords + "\u201D. Try another author, or just !quote.");
        } catch (QuoteSource.QuotesUnavailable e) {
            log.warn("answering without a quote: {}", e.getMessage());
            return UNAVAILABLE;
        }
    }
}
