package babble.bot;

import babble.platform.config.Config;
import java.time.Duration;

/**
 * The bot's settings: its user, how long it waits for a quote before answering that quotes are unavailable,
 * and how old a command may be and still be answered (after a long outage, old commands are left alone).
 */
public record BotConfig(String username, String displayName, Duration quotesTimeout, Duration maxTriggerAge) {

    public static BotConfig from(Config config) {
        return new BotConfig(
                config.string("BOT_USERNAME", "babblebot"),
                config.string("BOT_DISPLAY_NAME", "Babble Bot"),
                config.duration("BOT_QUOTES_TIMEOUT", Duration.ofMillis(800)),
                config.duration("BOT_MAX_TRIGGER_AGE", Duration.ofMinutes(10)));
    }
}
