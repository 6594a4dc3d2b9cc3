package babble.bot;

import babble.bot.api.ChatClient;
import babble.bot.api.QuotesClient;
import babble.bot.domain.Bot;
import babble.bot.events.TriggerConsumer;
import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.bus.Bus;

/**
 * The chat bot: a durable consumer of message.created that answers {@code !quote} and {@code !help} as the
 * user {@code babblebot}, posting through the messages service like any member.
 */
public final class BotService implements Service {

    @Override
    public String name() {
        return "bot";
    }

    @Override
    public void start(Chassis chassis) {
        var config = BotConfig.from(chassis.config());
        var chat = new ChatClient(chassis.client("users"), chassis.client("rooms"), chassis.client("messages"),
                config.username(), config.displayName());
        var bot = new Bot(new QuotesClient(chassis.client("quotes", config.quotesTimeout())), chat, chassis.clock(),
                config.maxTriggerAge());
        chat.identityOrNull(); // create the bot user now if users is up; otherwise on the first trigger
        chassis.consumeStateless("triggers", "events.message.created.>", Bus.StartFrom.NEW,
                new TriggerConsumer(bot)::handle);
    }
}
