package babble.bot.domain;

import java.util.UUID;

/** How the bot speaks: as its own user, through the messages service. */
public interface Chat {
    /** The bot's own user id (so it never answers itself). */
    UUID botUserId();

    /**
     * Posts {@code text} in {@code roomId} as the bot. {@code idempotencyKey} makes a repeat of the same reply
     * (after a redelivered trigger) a no-op.
     */
    void reply(UUID roomId, String text, String idempotencyKey);
}
