package babble.bot.api;

import babble.bot.domain.QuoteSource;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import babble.platform.problem.Problem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Asks the quotes service for a random quote, with the bot's short timeout. */
public final class QuotesClient implements QuoteSource {
    private static final Identity BOT = Identity.ofService("bot");

    private final ServiceClient quotes;

    public QuotesClient(ServiceClient quotes) {
        this.quotes = quotes;
    }

    @Override
    public Optional<Quote> random(String authorWords) throws QuotesUnavailable {
        String query = authorWords.isBlank() ? "" : "?author=" + URLEncoder.encode(authorWords, StandardCharsets.UTF_8);
        try {
            var response = quotes.send(ServiceRequest.get("/api/v1/quotes/random" + query, BOT));
            if (response.status() == 404 || response.status() == 422) {
                return Optional.empty();
            }
            return Optional.of(response.as(Quote.class));
        } catch (Problem e) {
            throw new QuotesUnavailable("quotes answered " + e.status() + ": " + e.getMessage());
        }
    }
}
