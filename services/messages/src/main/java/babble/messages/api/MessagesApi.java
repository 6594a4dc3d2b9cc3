package babble.messages.api;

import babble.contracts.api.EditMessageRequest;
import babble.contracts.api.MarkReadRequest;
import babble.contracts.api.MessageList;
import babble.contracts.api.PostMessageRequest;
import babble.contracts.api.ReactionList;
import babble.contracts.internal.MessageBatch;
import babble.contracts.internal.MessageBatchResult;
import babble.contracts.internal.ReadStateQuery;
import babble.messages.domain.Messages;
import babble.platform.http.Requests;
import babble.platform.problem.InvalidField;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for messages and read markers: the public calls the gateway forwards, and the internal ones. */
public final class MessagesApi {
    private final Messages messages;

    public MessagesApi(Messages messages) {
        this.messages = messages;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/rooms/{id}/messages", this::post);
        routes.get("/api/v1/rooms/{id}/messages", this::list);
        routes.patch("/api/v1/rooms/{id}/messages/{seq}", this::edit);
        routes.delete("/api/v1/rooms/{id}/messages/{seq}", this::delete);
        routes.put("/api/v1/rooms/{id}/messages/{seq}/reactions/{emoji}", ctx -> react(ctx, true));
        routes.delete("/api/v1/rooms/{id}/messages/{seq}/reactions/{emoji}", ctx -> react(ctx, false));
        routes.put("/api/v1/rooms/{id}/read", this::markRead);
        routes.post("/internal/read-states", this::readStates);
        routes.get("/internal/rooms/{id}/replay", this::replay);
        routes.post("/internal/rooms/{id}/messages", this::postAll);
    }

    /** Posts relayed by a service for its users (the MQTT bridge), written in order; one outcome each. */
    private void postAll(Context ctx) {
        var batch = Requests.body(ctx, MessageBatch.class);
        if (batch.posts() == null || batch.posts().isEmpty() || batch.posts().size() > 500) {
            throw new InvalidField("posts", "must hold 1 to 500 posts");
        }
        ctx.json(new MessageBatchResult(messages.postAll(Requests.identity(ctx).service(), Requests.id(ctx, "id", "room"),
                batch.posts())));
    }

    private void post(Context ctx) {
        var request = Requests.body(ctx, PostMessageRequest.class);
        var message = messages.post(Requests.identity(ctx), Requests.id(ctx, "id", "room"), request.text(),
                ctx.header("Idempotency-Key"));
        ctx.status(201).json(message);
    }

    private void edit(Context ctx) {
        var request = Requests.body(ctx, EditMessageRequest.class);
        ctx.json(messages.edit(Requests.identity(ctx), Requests.id(ctx, "id", "room"),
                Requests.number(ctx, "seq", "message"), request.text()));
    }

    private void delete(Context ctx) {
        messages.delete(Requests.identity(ctx), Requests.id(ctx, "id", "room"), Requests.number(ctx, "seq", "message"));
        ctx.status(204);
    }

    private void react(Context ctx, boolean add) {
        ctx.json(new ReactionList(messages.react(Requests.identity(ctx), Requests.id(ctx, "id", "room"),
                Requests.number(ctx, "seq", "message"), ctx.pathParam("emoji"), add)));
    }

    private void list(Context ctx) {
        var roomId = Requests.id(ctx, "id", "room");
        int limit = Requests.limit(ctx, 50, Messages.MAX_LIMIT);
        var after = Requests.longParam(ctx, "after", 0);
        var before = Requests.longParam(ctx, "before", 1);
        ctx.json(new MessageList(messages.list(Requests.identity(ctx), roomId,
                after.isPresent() ? after.getAsLong() : null, before.isPresent() ? before.getAsLong() : null, limit)));
    }

    private void markRead(Context ctx) {
        var request = Requests.body(ctx, MarkReadRequest.class);
        messages.markRead(Requests.identity(ctx), Requests.id(ctx, "id", "room"), request.seq());
        ctx.status(204);
    }

    private void replay(Context ctx) {
        long after = Requests.longParam(ctx, "after", 0).orElse(0);
        // Without afterChange the caller asks for messages only (the MQTT bridge, exports): no changes are read.
        long afterChange = Requests.longParam(ctx, "afterChange", 0).orElse(Long.MAX_VALUE);
        long max = Requests.longParam(ctx, "max", 1).orElse(1_000);
        if (max > 5_000) {
            throw new InvalidField("max", "must be at most 5000");
        }
        ctx.json(messages.replay(Requests.id(ctx, "id", "room"), after, afterChange, (int) max));
    }

    private void readStates(Context ctx) {
        var query = Requests.body(ctx, ReadStateQuery.class);
        if (query.roomIds() == null || query.roomIds().size() > 5_000) {
            throw new InvalidField("roomIds", "must be a list of at most 5000 room ids");
        }
        ctx.json(messages.readStates(Requests.userId(ctx), query.roomIds()));
    }
}
