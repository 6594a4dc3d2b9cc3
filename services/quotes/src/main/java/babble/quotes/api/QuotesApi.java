package babble.quotes.api;

import babble.platform.http.Requests;
import babble.quotes.domain.Quotes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for quotes. */
public final class QuotesApi {
    private final Quotes quotes;

    public QuotesApi(Quotes quotes) {
        this.quotes = quotes;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/quotes/random", this::random);
        routes.get("/api/v1/quotes", this::list);
    }

    private void random(Context ctx) {
        ctx.json(quotes.random(ctx.queryParam("author")));
    }

    private void list(Context ctx) {
        ctx.json(quotes.list(ctx.queryParam("author"), Requests.limit(ctx, 50, 200), ctx.queryParam("cursor")));
    }
}
