package babble.search.api;

import babble.platform.http.Requests;
import babble.search.domain.SearchRequest;
import babble.search.domain.Searches;
import babble.search.domain.SimilarPosts;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for search and similar posts, as the gateway forwards them. */
public final class SearchApi {
    private final Searches searches;
    private final SimilarPosts similarPosts;

    public SearchApi(Searches searches, SimilarPosts similarPosts) {
        this.searches = searches;
        this.similarPosts = similarPosts;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/search", this::search);
        routes.get("/api/v1/posts/{id}/similar", this::similar);
    }

    private void search(Context ctx) {
        var caller = Requests.identity(ctx);
        caller.requireUser();
        var request = SearchRequest.of(ctx.queryParam("q"), ctx.queryParam("kind"), ctx.queryParam("room"),
                ctx.queryParam("tag"), ctx.queryParam("author"), ctx.queryParam("sort"),
                Requests.limit(ctx, SearchRequest.DEFAULT_LIMIT, SearchRequest.MAX_LIMIT), ctx.queryParam("cursor"));
        ctx.json(searches.search(caller, request));
    }

    private void similar(Context ctx) {
        ctx.json(similarPosts.similar(Requests.identity(ctx), Requests.id(ctx, "id", "post"),
                Requests.limit(ctx, SimilarPosts.DEFAULT_LIMIT, SimilarPosts.MAX_LIMIT)));
    }
}
