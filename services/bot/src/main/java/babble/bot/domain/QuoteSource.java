package babble.bot.domain;

import java.util.Optional;

/** Where quotes come from (the quotes service). */
public interface QuoteSource {
    record Quote(String text, String author) {
    }

    /** A random quote, by an author matching {@code authorWords} if not blank; empty when none matches. */
    Optional<Quote> random(String authorWords) throws QuotesUnavailable;

    /** The quotes service is down, slow or failing. */
    final class QuotesUnavailable extends Exception {
        public QuotesUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
