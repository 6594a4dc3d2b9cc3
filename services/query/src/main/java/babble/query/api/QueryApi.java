package babble.query.api;

import babble.contracts.internal.PostLookup;
import babble.query.domain.Reads;
import babble.platform.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for the reads of posts and comments the gateway forwards here. */
public final class QueryApi {
    private final Reads reads;

    public QueryApi(Reads reads) {
        this.reads = reads;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/rooms/{id}/posts", this::posts);
        routes.get("/api/v1/posts/{id}", this::post);
        routes.get("/api/v1/posts/{id}/comments", this::comments);
        routes.post("/internal/posts/lookup", this::lookup);
    }

    private void posts(Context ctx) {
        ctx.json(reads.posts(Requests.identity(ctx), Requests.id(ctx, "id", "room"), ctx.queryParam("sort"),
                Requests.limit(ctx, 25, Reads.MAX_POSTS), ctx.queryParam("cursor")));
    }

    private void post(Context ctx) {
        ctx.json(reads.post(Requests.identity(ctx), Requests.id(ctx, "id", "post")));
    }

    private void lookup(Context ctx) {
        ctx.json(reads.lookup(Requests.identity(ctx), Requests.body(ctx, PostLookup.class).ids()));
    }

    private void comments(Context ctx) {
        ctx.json(reads.comments(Requests.identity(ctx), Requests.id(ctx, "id", "post"),
                Requests.limit(ctx, 100, Reads.MAX_COMMENTS), ctx.queryParam("cursor")));
    }
}
