package babble.rooms.api;

import babble.contracts.api.CreateRoomRequest;
import babble.contracts.api.UserIdRequest;
import babble.contracts.internal.Membership;
import babble.contracts.internal.UserMembershipVersion;
import babble.contracts.internal.UserRooms;
import babble.platform.http.Requests;
import babble.rooms.domain.Rooms;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** HTTP for rooms and memberships: the public calls the gateway forwards, and the internal ones. */
public final class RoomsApi {
    private final Rooms rooms;

    public RoomsApi(Rooms rooms) {
        this.rooms = rooms;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/rooms", this::create);
        routes.get("/api/v1/rooms", this::list);
        routes.get("/api/v1/rooms/{id}", this::get);
        routes.put("/api/v1/rooms/{id}/members/me", this::join);
        routes.delete("/api/v1/rooms/{id}/members/me", this::leave);
        routes.get("/api/v1/rooms/{id}/members", this::members);
        routes.post("/api/v1/rooms/{id}/invites", this::invite);
        routes.post("/api/v1/dms", this::direct);
        routes.get("/internal/rooms/{id}/members/{userId}", this::membership);
        routes.get("/internal/rooms/{id}/access/{userId}", this::access);
        routes.get("/internal/members/{userId}/rooms", this::roomsOf);
        routes.get("/internal/members/{userId}/version", this::userVersion);
    }

    private void create(Context ctx) {
        var request = Requests.body(ctx, CreateRoomRequest.class);
        var created = rooms.create(Requests.identity(ctx), request.name(), request.topic(), request.visibility());
        ctx.header(Membership.VERSION_HEADER, Long.toString(created.userVersion())).status(201).json(created.value());
    }

    private void list(Context ctx) {
        Requests.userId(ctx);
        ctx.json(rooms.list(Requests.limit(ctx, 50, 200), ctx.queryParam("cursor")));
    }

    private void get(Context ctx) {
        ctx.json(rooms.get(Requests.identity(ctx), Requests.id(ctx, "id", "room")));
    }

    private void invite(Context ctx) {
        var request = Requests.body(ctx, UserIdRequest.class);
        rooms.invite(Requests.identity(ctx), Requests.id(ctx, "id", "room"), request.userId());
        ctx.status(204);
    }

    /** 201 when this call made the direct room, 200 after; the caller's membership version, as for a join. */
    private void direct(Context ctx) {
        var request = Requests.body(ctx, UserIdRequest.class);
        var direct = rooms.direct(Requests.identity(ctx), request.userId());
        ctx.header(Membership.VERSION_HEADER, Long.toString(direct.userVersion()))
                .status(direct.value().created() ? 201 : 200).json(direct.value().room());
    }

    private void join(Context ctx) {
        var joined = rooms.join(Requests.identity(ctx), Requests.id(ctx, "id", "room"));
        ctx.header(Membership.VERSION_HEADER, Long.toString(joined.userVersion())).json(joined.value());
    }

    private void leave(Context ctx) {
        long userVersion = rooms.leave(Requests.identity(ctx), Requests.id(ctx, "id", "room"));
        ctx.header(Membership.VERSION_HEADER, Long.toString(userVersion)).status(204);
    }

    private void members(Context ctx) {
        ctx.json(rooms.members(Requests.identity(ctx), Requests.id(ctx, "id", "room"), Requests.limit(ctx, 200, 1000),
                ctx.queryParam("cursor")));
    }

    private void membership(Context ctx) {
        ctx.json(rooms.membership(Requests.id(ctx, "id", "room"), Requests.id(ctx, "userId", "user")));
    }

    private void access(Context ctx) {
        ctx.json(rooms.access(Requests.id(ctx, "id", "room"), Requests.id(ctx, "userId", "user")));
    }

    private void userVersion(Context ctx) {
        ctx.json(new UserMembershipVersion(rooms.userVersion(Requests.id(ctx, "userId", "user"))));
    }

    private void roomsOf(Context ctx) {
        ctx.json(new UserRooms(rooms.roomsOf(Requests.id(ctx, "userId", "user"))));
    }
}
