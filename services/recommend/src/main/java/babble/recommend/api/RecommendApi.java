package babble.recommend.api;

import babble.platform.http.Requests;
import babble.recommend.domain.Feed;
import babble.recommend.domain.TopicListings;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for topic listings and the caller's feed. */
public final class RecommendApi {
    private final TopicListings topics;
    private final Feed feed;

    public RecommendApi(TopicListings topics, Feed feed) {
        this.topics = topics;
        this.feed = feed;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/topics/{tag}/posts", this::topic);
        routes.get("/api/v1/feed", this::feed);
    }

    private void topic(Context ctx) {
        ctx.json(topics.page(Requests.identity(ctx), ctx.pathParam("tag"), ctx.queryParam("sort"),
                Requests.limit(ctx, 25, TopicListings.MAX_PAGE), ctx.queryParam("cursor")));
    }

    private void feed(Context ctx) {
        ctx.json(feed.page(Requests.identity(ctx), Requests.limit(ctx, 25, Feed.MAX_PAGE), ctx.queryParam("cursor")));
    }
}
