package babble.bot.domain;

import static org.assertj.core.api.Assertions.assertThat;

import babble.contracts.api.MessageView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BotTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final UUID BOT_ID = UUID.randomUUID();
    private static final UUID ROOM = UUID.randomUUID();

    record Reply(UUID room, String text, String key) {
    }

    private final List<Reply> replies = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();
    private boolean quotesDown;

    private final QuoteSource quotes = words -> {
        asked.add(words);
        if (quotesDown) {
            throw new QuoteSource.QuotesUnavailable("down");
        }
        return words.equals("nobody") ? Optional.empty() : Optional.of(new QuoteSource.Quote("To be or not to be.", "Shakespeare"));
    };
    private final Chat chat = new Chat() {
        @Override
        public UUID botUserId() {
            return BOT_ID;
        }

        @Override
        public void reply(UUID roomId, String text, String idempotencyKey) {
            replies.add(new Reply(roomId, text, idempotencyKey));
        }
    };
    private final Bot bot = new Bot(quotes, chat, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10));

    private static MessageView message(String text) {
        return message(UUID.randomUUID(), text, NOW.minusSeconds(1));
    }

    private static MessageView message(UUID userId, String text, Instant at) {
        return new MessageView(UUID.randomUUID(), ROOM, 1, userId, "someone", text, at);
    }

    @Test
    void quoteIsAnsweredWithAQuoteAndItsAuthorInTheSameRoom() {
        bot.onMessage(message("!quote"));

        assertThat(replies).singleElement().satisfies(r -> {
            assertThat(r.room()).isEqualTo(ROOM);
            assertThat(r.text()).isEqualTo("\u201CTo be or not to be.\u201D \u2014 Shakespeare");
        });
        assertThat(asked).containsExactly("");
    }

    @Test
    void quoteWithWordsAsksForThatAuthor() {
        bot.onMessage(message("  !QUOTE   mark twain "));

        assertThat(asked).containsExactly("mark twain");
    }

    @Test
    void anAuthorWithoutQuotesGetsAPoliteAnswer() {
        bot.onMessage(message("!quote nobody"));

        assertThat(replies).singleElement().extracting(Reply::text).asString().contains("no quotes by");
    }

    @Test
    void whenQuotesAreDownTheBotSaysSo() {
        quotesDown = true;

        bot.onMessage(message("!quote"));

        assertThat(replies).singleElement().extracting(Reply::text).isEqualTo(Bot.UNAVAILABLE);
    }

    @Test
    void helpListsTheCommands() {
        bot.onMessage(message("!help"));

        assertThat(replies).singleElement().extracting(Reply::text).isEqualTo(Bot.HELP);
    }

    @Test
    void otherMessagesAndUnknownCommandsGetNoReply() {
        bot.onMessage(message("hello there"));
        bot.onMessage(message("!quotes"));
        bot.onMessage(message("!weather"));
        bot.onMessage(message("say !quote"));

        assertThat(replies).isEmpty();
    }

    @Test
    void theBotNeverAnswersItself() {
        bot.onMessage(message(BOT_ID, "!help", NOW));

        assertThat(replies).isEmpty();
    }

    @Test
    void aRedeliveredTriggerIsRepliedWithTheSameKey() {
        MessageView trigger = message("!quote");

        bot.onMessage(trigger);
        bot.onMessage(trigger);

        assertThat(replies).extracting(Reply::key).containsExactly("bot-reply-" + trigger.id(), "bot-reply-" + trigger.id());
    }

    @Test
    void aCommandOlderThanTheLimitIsLeftAlone() {
        bot.onMessage(message(UUID.randomUUID(), "!quote", NOW.minus(Duration.ofMinutes(11))));

        assertThat(replies).isEmpty();
    }
}
