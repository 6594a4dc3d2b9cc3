package babble.quotes.domain;

import babble.platform.db.Database;
import babble.platform.http.Cursors;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.quotes.store.QuoteStore;
import java.util.List;
import java.util.random.RandomGenerator;

/** Picks quotes: uniformly at random among those matching (every call draws again), or page by page. */
public final class Quotes {
    private final Database db;
    private final QuoteStore store;
    private final RandomGenerator random;

    public Quotes(Database db, QuoteStore store, RandomGenerator random) {
        this.db = db;
        this.store = store;
        this.random = random;
    }

    public Quote random(String author) {
        AuthorFilter filter = AuthorFilter.parse(author);
        return db.withHandle(h -> {
            int matching = store.count(h, filter);
            if (matching == 0) {
                throw new NotFound("no quotes by an author matching '" + filter + "'");
            }
            return store.at(h, filter, random.nextInt(matching));
        });
    }

    public QuotePage list(String author, int limit, String cursor) {
        AuthorFilter filter = AuthorFilter.parse(author);
        int after = afterId(cursor);
        List<Quote> page = db.withHandle(h -> store.page(h, filter, after, limit + 1));
        return page.size() > limit
                ? new QuotePage(page.subList(0, limit), Cursors.encode(page.get(limit - 1).id()))
                : new QuotePage(page, null);
    }

    private static int afterId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(Cursors.decode(cursor));
        } catch (NumberFormatException e) {
            throw new InvalidField("cursor", "is not a cursor this server gave out");
        }
    }
}
