package babble.posts.api;

import babble.contracts.api.CreateCommentRequest;
import babble.contracts.api.CreatePostRequest;
import babble.contracts.api.VoteRequest;
import babble.contracts.internal.PostImport;
import babble.posts.domain.PostImports;
import babble.posts.domain.Posts;
import babble.platform.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * HTTP for the writes the gateway forwards here, and imports from the jobs service; reads of posts are served by the
 * query service.
 */
public final class PostsApi {
    private final Posts posts;
    private final PostImports imports;

    public PostsApi(Posts posts, PostImports imports) {
        this.posts = posts;
        this.imports = imports;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/rooms/{id}/posts", this::create);
        routes.post("/api/v1/posts/{id}/comments", this::comment);
        routes.put("/api/v1/posts/{id}/vote", this::vote);
        routes.delete("/api/v1/posts/{id}", this::delete);
        routes.post("/internal/rooms/{id}/posts/import", this::importPosts);
    }

    private void create(Context ctx) {
        var request = Requests.body(ctx, CreatePostRequest.class);
        ctx.status(201).json(posts.create(Requests.identity(ctx), Requests.id(ctx, "id", "room"), request,
                ctx.header("Idempotency-Key")));
    }

    private void comment(Context ctx) {
        var request = Requests.body(ctx, CreateCommentRequest.class);
        ctx.status(201).json(posts.comment(Requests.identity(ctx), Requests.id(ctx, "id", "post"), request,
                ctx.header("Idempotency-Key")));
    }

    private void vote(Context ctx) {
        var request = Requests.body(ctx, VoteRequest.class);
        ctx.json(posts.vote(Requests.identity(ctx), Requests.id(ctx, "id", "post"), request.value()));
    }

    /** jobs → posts: a batch of an import, larger than other bodies (its own limit, read as it streams in). */
    private void importPosts(Context ctx) {
        var batch = Requests.body(ctx, PostImport.class, PostImports.MAX_BATCH_BYTES);
        ctx.json(imports.importPosts(Requests.identity(ctx), Requests.id(ctx, "id", "room"), batch));
    }

    private void delete(Context ctx) {
        posts.delete(Requests.identity(ctx), Requests.id(ctx, "id", "post"));
        ctx.status(204);
    }
}
