package babble.moderation.api;

import babble.contracts.api.DecisionRequest;
import babble.contracts.api.ModerationRules;
import babble.moderation.domain.Moderation;
import babble.platform.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for a room owner's moderation, and the history an author may read. */
public final class ModerationApi {
    private final Moderation moderation;

    public ModerationApi(Moderation moderation) {
        this.moderation = moderation;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/rooms/{id}/moderation/rules", this::rules);
        routes.put("/api/v1/rooms/{id}/moderation/rules", this::setRules);
        routes.get("/api/v1/rooms/{id}/moderation/queue", this::queue);
        routes.put("/api/v1/moderation/{kind}/{id}", this::decide);
        routes.get("/api/v1/moderation/{kind}/{id}/history", this::history);
    }

    private void rules(Context ctx) {
        ctx.json(moderation.rules(Requests.identity(ctx), Requests.id(ctx, "id", "room")));
    }

    private void setRules(Context ctx) {
        var request = Requests.body(ctx, ModerationRules.class);
        ctx.json(moderation.setRules(Requests.identity(ctx), Requests.id(ctx, "id", "room"), request));
    }

    private void queue(Context ctx) {
        ctx.json(moderation.queue(Requests.identity(ctx), Requests.id(ctx, "id", "room"), Requests.limit(ctx, 50, 200),
                ctx.queryParam("cursor")));
    }

    private void decide(Context ctx) {
        var request = Requests.body(ctx, DecisionRequest.class);
        ctx.json(moderation.decide(Requests.identity(ctx), ctx.pathParam("kind"), Requests.id(ctx, "id", "item"), request));
    }

    private void history(Context ctx) {
        ctx.json(moderation.history(Requests.identity(ctx), ctx.pathParam("kind"), Requests.id(ctx, "id", "item")));
    }
}
