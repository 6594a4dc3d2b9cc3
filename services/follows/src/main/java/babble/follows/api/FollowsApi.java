package babble.follows.api;

import babble.contracts.api.FollowState;
import babble.follows.domain.Follows;
import babble.platform.http.Requests;
import babble.platform.problem.NotFound;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.UUID;

/** HTTP for follows: seed 000's {@code /users/:id/follow/:id}, and the follower lists. {@code me} names the caller. */
public final class FollowsApi {
    private final Follows follows;

    public FollowsApi(Follows follows) {
        this.follows = follows;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/users/{id}/follow/{targetId}", this::follow);
        routes.delete("/api/v1/users/{id}/follow/{targetId}", this::unfollow);
        routes.get("/api/v1/users/{id}/follow/{targetId}", this::check);
        routes.get("/api/v1/users/{id}/followers", this::followers);
        routes.get("/api/v1/users/{id}/following", this::following);
    }

    private void follow(Context ctx) {
        follows.follow(Requests.identity(ctx), user(ctx, "id"), user(ctx, "targetId"));
        ctx.status(204);
    }

    private void unfollow(Context ctx) {
        follows.unfollow(Requests.identity(ctx), user(ctx, "id"), user(ctx, "targetId"));
        ctx.status(204);
    }

    private void check(Context ctx) {
        Requests.userId(ctx);
        ctx.json(new FollowState(follows.isFollowing(user(ctx, "id"), user(ctx, "targetId"))));
    }

    private void followers(Context ctx) {
        Requests.userId(ctx);
        ctx.json(follows.followers(user(ctx, "id"), Requests.limit(ctx, 50, 200), ctx.queryParam("cursor")));
    }

    private void following(Context ctx) {
        Requests.userId(ctx);
        ctx.json(follows.following(user(ctx, "id"), Requests.limit(ctx, 50, 200), ctx.queryParam("cursor")));
    }

    /** A user id from the path; {@code me} is the caller. */
    private static UUID user(Context ctx, String param) {
        if ("me".equals(ctx.pathParam(param))) {
            return Requests.userId(ctx);
        }
        try {
            return UUID.fromString(ctx.pathParam(param));
        } catch (IllegalArgumentException e) {
            throw NotFound.of("user", ctx.pathParam(param));
        }
    }
}
