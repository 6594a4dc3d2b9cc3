package babble.bot.events;

import babble.bot.domain.Bot;
import babble.contracts.events.MessageCreated;
import babble.platform.bus.Event;

/** Hands every new chat message to the bot. Stateless: replies are made idempotent by their key. */
public final class TriggerConsumer {
    private final Bot bot;

    public TriggerConsumer(Bot bot) {
        this.bot = bot;
    }

    public void handle(Event event) {
        if (MessageCreated.TYPE.equals(event.type())) {
            bot.onMessage(event.dataAs(MessageCreated.class).message());
        }
    }
}
