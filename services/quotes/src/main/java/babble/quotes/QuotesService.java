package babble.quotes;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.quotes.api.QuotesApi;
import babble.quotes.domain.Quotes;
import babble.quotes.store.QuoteStore;
import java.security.SecureRandom;

/** A bundled set of real, attributed quotes: a random one, or those of an author. */
public final class QuotesService implements Service {

    @Override
    public String name() {
        return "quotes";
    }

    @Override
    public void start(Chassis chassis) {
        var quotes = new Quotes(chassis.database(), new QuoteStore(), new SecureRandom());
        chassis.http(routes -> new QuotesApi(quotes).register(routes));
    }
}
