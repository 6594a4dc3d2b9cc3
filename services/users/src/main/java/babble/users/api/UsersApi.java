package babble.users.api;

import babble.contracts.api.LoginRequest;
import babble.contracts.api.RegisterRequest;
import babble.contracts.api.UserView;
import babble.contracts.internal.TokenCheck;
import babble.platform.http.Requests;
import babble.platform.problem.InvalidField;
import babble.platform.problem.Unauthorized;
import babble.users.domain.Users;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** HTTP for accounts and sessions: the public calls the gateway forwards, and the internal ones. */
public final class UsersApi {
    private final Users users;

    public UsersApi(Users users) {
        this.users = users;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/users", this::registerUser);
        routes.post("/api/v1/sessions", this::login);
        routes.delete("/api/v1/sessions/current", this::logout);
        routes.get("/api/v1/users", this::withUsernamePrefix);
        routes.get("/api/v1/users/me", this::me);
        routes.get("/api/v1/users/{id}", this::user);
        routes.post("/internal/sessions/verify", this::verify);
        routes.get("/internal/users", this::usersById);
        routes.put("/internal/system-users/{username}", this::systemUser);
    }

    private void registerUser(Context ctx) {
        var request = Requests.body(ctx, RegisterRequest.class);
        ctx.status(201).json(users.register(request.username(), request.password(), request.displayName()));
    }

    private void login(Context ctx) {
        var request = Requests.body(ctx, LoginRequest.class);
        ctx.status(201).json(users.login(request.username(), request.password()));
    }

    private void logout(Context ctx) {
        users.logout(bearerToken(ctx));
        ctx.status(204);
    }

    /** {@code GET /api/v1/users?prefix=an&limit=10&cursor=...}: people by the start of their username. */
    private void withUsernamePrefix(Context ctx) {
        Requests.userId(ctx); // anyone signed in; no one anonymous
        String cursor = ctx.queryParam("cursor");
        ctx.json(users.withUsernamePrefix(ctx.queryParam("prefix"), cursor == null || cursor.isEmpty() ? null : cursor,
                Requests.limit(ctx, 10, 50)));
    }

    private void me(Context ctx) {
        ctx.json(users.find(Requests.userId(ctx)));
    }

    private void user(Context ctx) {
        ctx.json(users.find(Requests.id(ctx, "id", "user")));
    }

    private void verify(Context ctx) {
        ctx.json(users.verify(Requests.body(ctx, TokenCheck.class).token()));
    }

    /** {@code GET /internal/users?ids=a,b,c}: the users that exist among those ids (at most 500). */
    private void usersById(Context ctx) {
        String raw = ctx.queryParam("ids");
        List<String> parts = raw == null || raw.isBlank() ? List.of() : Arrays.asList(raw.split(","));
        if (parts.size() > 500) {
            throw new InvalidField("ids", "at most 500 ids at once");
        }
        List<UUID> ids = parts.stream().map(UsersApi::uuidOrNull).filter(java.util.Objects::nonNull).toList();
        ctx.json(Map.of("users", users.findAll(ids)));
    }

    private void systemUser(Context ctx) {
        var body = Requests.body(ctx, SystemUserRequest.class);
        UserView user = users.systemUser(ctx.pathParam("username"), body.displayName());
        ctx.json(user);
    }

    private static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("a bearer token is required");
        }
        return header.substring(7).trim();
    }

    private static UUID uuidOrNull(String s) {
        try {
            return UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    record SystemUserRequest(String displayName) {
    }
}
