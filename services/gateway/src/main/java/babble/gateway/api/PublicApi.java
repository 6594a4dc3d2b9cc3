package babble.gateway.api;

import babble.gateway.domain.Authenticator;
import babble.contracts.internal.Membership;
import babble.gateway.domain.Caller;
import babble.gateway.domain.Fanout;
import babble.gateway.domain.MyRooms;
import babble.gateway.domain.Presence;
import babble.gateway.domain.RateLimits;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceResponse;
import babble.platform.http.HttpServer;
import babble.platform.identity.Identity;
import babble.platform.problem.BadRequest;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The public API (docs/API.md), one line per call: which service owns it and whether it needs a signed-in
 * caller. Everything else about a call is the owning service's business.
 */
public final class PublicApi {
    private static final String V1 = "/api/v1";
    private static final String CALLER = "babble.caller";

    /** The services public calls are routed to. */
    public record Targets(ServiceClient users, ServiceClient rooms, ServiceClient messages, ServiceClient quotes,
                          ServiceClient follows, ServiceClient counter, ServiceClient posts, ServiceClient moderation,
                          ServiceClient query, ServiceClient jobs, ServiceClient mqtt,
                          ServiceClient tags, ServiceClient search, ServiceClient recommend) {
    }

    private final Authenticator authenticator;
    private final RateLimits limits;
    private final Proxy proxy;
    private final ServiceClient users;
    private final ServiceClient rooms;
    private final ServiceClient messages;
    private final ServiceClient quotes;
    private final ServiceClient follows;
    private final ServiceClient counter;
    private final ServiceClient posts;
    private final ServiceClient moderation;
    private final ServiceClient query;
    private final ServiceClient jobs;
    private final ServiceClient mqtt;
    private final ServiceClient tags;
    private final ServiceClient search;
    private final ServiceClient recommend;
    private final ImportUploads imports;
    private final MyRooms myRooms;
    private final Fanout fanout;
    private final LiveEndpoint live;
    private final Presence presence;
    private final Identity anonymous;
    static final int PRESENCE_MAX_USERS = 100;

    public PublicApi(Authenticator authenticator, RateLimits limits, Proxy proxy, Targets targets, MyRooms myRooms,
                     Fanout fanout, LiveEndpoint live, Presence presence) {
        this.authenticator = authenticator;
        this.limits = limits;
        this.proxy = proxy;
        this.users = targets.users();
        this.rooms = targets.rooms();
        this.messages = targets.messages();
        this.quotes = targets.quotes();
        this.follows = targets.follows();
        this.counter = targets.counter();
        this.posts = targets.posts();
        this.moderation = targets.moderation();
        this.query = targets.query();
        this.jobs = targets.jobs();
        this.mqtt = targets.mqtt();
        this.tags = targets.tags();
        this.search = targets.search();
        this.recommend = targets.recommend();
        this.imports = new ImportUploads(targets.jobs());
        this.myRooms = myRooms;
        this.fanout = fanout;
        this.live = live;
        this.presence = presence;
        this.anonymous = Identity.ofService(proxy.self());
    }

    public void register(RoutesConfig r) {
        // Accounts
        r.post(V1 + "/users", ctx -> proxy.forward(ctx, users, anonymous(ctx)));
        r.post(V1 + "/sessions", ctx -> proxy.forward(ctx, users, anonymous(ctx)));
        r.delete(V1 + "/sessions/current", this::logout);
        r.get(V1 + "/users", ctx -> proxy.forward(ctx, users, caller(ctx).identity())); // ?prefix=: people by name
        r.get(V1 + "/users/me", ctx -> proxy.forward(ctx, users, caller(ctx).identity()));
        r.get(V1 + "/users/me/rooms", ctx -> ctx.json(myRooms.of(caller(ctx))));
        r.get(V1 + "/users/{id}", ctx -> proxy.forward(ctx, users, caller(ctx).identity()));
        r.get(V1 + "/presence", this::presence);
        // Rooms
        r.post(V1 + "/rooms", this::changeMembership);
        r.get(V1 + "/rooms", ctx -> proxy.forward(ctx, rooms, caller(ctx).identity()));
        r.get(V1 + "/rooms/{id}", ctx -> proxy.forward(ctx, rooms, caller(ctx).identity()));
        r.put(V1 + "/rooms/{id}/members/me", this::changeMembership);
        r.delete(V1 + "/rooms/{id}/members/me", this::leave);
        r.get(V1 + "/rooms/{id}/members", ctx -> proxy.forward(ctx, rooms, caller(ctx).identity()));
        r.post(V1 + "/rooms/{id}/invites", ctx -> proxy.forward(ctx, rooms, caller(ctx).identity()));
        r.post(V1 + "/dms", this::changeMembership);
        // Messages
        r.post(V1 + "/rooms/{id}/messages", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        r.get(V1 + "/rooms/{id}/messages", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        r.patch(V1 + "/rooms/{id}/messages/{seq}", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        r.delete(V1 + "/rooms/{id}/messages/{seq}", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        r.put(V1 + "/rooms/{id}/messages/{seq}/reactions/{emoji}", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        r.delete(V1 + "/rooms/{id}/messages/{seq}/reactions/{emoji}", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        r.put(V1 + "/rooms/{id}/read", ctx -> proxy.forward(ctx, messages, caller(ctx).identity()));
        // Quotes
        r.get(V1 + "/quotes/random", ctx -> proxy.forward(ctx, quotes, caller(ctx).identity()));
        r.get(V1 + "/quotes", ctx -> proxy.forward(ctx, quotes, caller(ctx).identity()));
        // Follows (seed 000)
        r.post(V1 + "/users/{id}/follow/{targetId}", ctx -> proxy.forward(ctx, follows, caller(ctx).identity()));
        r.delete(V1 + "/users/{id}/follow/{targetId}", ctx -> proxy.forward(ctx, follows, caller(ctx).identity()));
        r.get(V1 + "/users/{id}/follow/{targetId}", ctx -> proxy.forward(ctx, follows, caller(ctx).identity()));
        r.get(V1 + "/users/{id}/followers", ctx -> proxy.forward(ctx, follows, caller(ctx).identity()));
        r.get(V1 + "/users/{id}/following", ctx -> proxy.forward(ctx, follows, caller(ctx).identity()));
        // Posts, comments, votes and moderation (seed 002): writes to posts and moderation, reads from query
        r.post(V1 + "/rooms/{id}/posts", ctx -> proxy.forward(ctx, posts, caller(ctx).identity()));
        r.get(V1 + "/rooms/{id}/posts", ctx -> proxy.forward(ctx, query, caller(ctx).identity()));
        r.get(V1 + "/posts/{id}", ctx -> proxy.forward(ctx, query, caller(ctx).identity()));
        r.delete(V1 + "/posts/{id}", ctx -> proxy.forward(ctx, posts, caller(ctx).identity()));
        r.put(V1 + "/posts/{id}/vote", ctx -> proxy.forward(ctx, posts, caller(ctx).identity()));
        r.post(V1 + "/posts/{id}/comments", ctx -> proxy.forward(ctx, posts, caller(ctx).identity()));
        r.get(V1 + "/posts/{id}/comments", ctx -> proxy.forward(ctx, query, caller(ctx).identity()));
        r.get(V1 + "/rooms/{id}/moderation/rules", ctx -> proxy.forward(ctx, moderation, caller(ctx).identity()));
        r.put(V1 + "/rooms/{id}/moderation/rules", ctx -> proxy.forward(ctx, moderation, caller(ctx).identity()));
        r.get(V1 + "/rooms/{id}/moderation/queue", ctx -> proxy.forward(ctx, moderation, caller(ctx).identity()));
        r.put(V1 + "/moderation/{kind}/{id}", ctx -> proxy.forward(ctx, moderation, caller(ctx).identity()));
        r.get(V1 + "/moderation/{kind}/{id}/history", ctx -> proxy.forward(ctx, moderation, caller(ctx).identity()));
        // Jobs (seed 003): asynchronous request-reply; results stream through range by range
        r.post(V1 + "/jobs", ctx -> proxy.forward(ctx, jobs, caller(ctx).identity()));
        r.get(V1 + "/jobs", ctx -> proxy.forward(ctx, jobs, caller(ctx).identity()));
        r.get(V1 + "/jobs/{id}", ctx -> proxy.forward(ctx, jobs, caller(ctx).identity()));
        r.delete(V1 + "/jobs/{id}", ctx -> proxy.forward(ctx, jobs, caller(ctx).identity()));
        r.get(V1 + "/jobs/{id}/result", ctx -> proxy.download(ctx, jobs, caller(ctx).identity()));
        // Imports (seed 004): the file streams through to jobs in parts, and becomes an import job
        r.post(V1 + "/rooms/{id}/imports", ctx -> imports.upload(ctx, caller(ctx).identity()));
        // MQTT bridge (seed 003)
        r.get(V1 + "/rooms/{id}/mqtt", ctx -> proxy.forward(ctx, mqtt, caller(ctx).identity()));
        r.put(V1 + "/rooms/{id}/mqtt", ctx -> proxy.forward(ctx, mqtt, caller(ctx).identity()));
        // Topics (seed 004): preferences and labels, search, topic listings and the feed
        r.get(V1 + "/users/me/topics", ctx -> proxy.forward(ctx, tags, caller(ctx).identity()));
        r.put(V1 + "/users/me/topics", ctx -> proxy.forward(ctx, tags, caller(ctx).identity()));
        r.put(V1 + "/posts/{id}/labels", ctx -> proxy.forward(ctx, tags, caller(ctx).identity()));
        r.get(V1 + "/posts/{id}/labels", ctx -> proxy.forward(ctx, tags, caller(ctx).identity()));
        r.get(V1 + "/users/me/labels/{tag}/posts", ctx -> proxy.forward(ctx, tags, caller(ctx).identity()));
        r.get(V1 + "/search", ctx -> proxy.forward(ctx, search, caller(ctx).identity()));
        r.get(V1 + "/posts/{id}/similar", ctx -> proxy.forward(ctx, search, caller(ctx).identity()));
        r.get(V1 + "/topics/{tag}/posts", ctx -> proxy.forward(ctx, recommend, caller(ctx).identity()));
        r.get(V1 + "/feed", ctx -> proxy.forward(ctx, recommend, caller(ctx).identity()));
        // The site counter (seed 000): counts anonymous visits
        r.get(V1 + "/counter", ctx -> proxy.forward(ctx, counter, anonymous(ctx)));
        // The contract itself
        r.get(V1 + "/openapi.json", PublicApi::openApi);
    }

    private void logout(Context ctx) {
        Caller caller = caller(ctx);
        proxy.forward(ctx, users, caller.identity(), List.of("Authorization"));
        if (ctx.statusCode() == 204) {
            authenticator.forget(caller.tokenHash());
            live.sessionRevoked(caller.tokenHash()); // here at once; other gateways through session.revoked
        }
    }

    /**
     * {@code GET /presence?users=id,id,...}: which of up to 100 users are online now, on any gateway (the state
     * the live {@code presence} frames then keep current). Any signed-in user may ask, as in Mattermost.
     */
    private void presence(Context ctx) {
        caller(ctx);
        String given = ctx.queryParam("users");
        if (given == null || given.isBlank()) {
            throw new BadRequest("users: give the ids of the users to ask about, separated by commas");
        }
        var ids = new java.util.LinkedHashSet<UUID>();
        for (String id : given.split(",")) {
            try {
                ids.add(UUID.fromString(id.strip()));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("users: '" + id.strip() + "' is not a user id");
            }
        }
        if (ids.size() > PRESENCE_MAX_USERS) {
            throw new InvalidField("users", "at most " + PRESENCE_MAX_USERS + " users at a time, got " + ids.size());
        }
        ctx.json(Map.of("online", presence.online(ids)));
    }

    /**
     * Creating a room, joining one or opening a direct room: the rooms service answers the caller's new membership version, which this
     * gateway remembers (and with Redis shares), so the caller's next request, through any gateway, carries it.
     */
    private ServiceResponse changeMembership(Context ctx) {
        Caller caller = caller(ctx);
        ServiceResponse response = proxy.forward(ctx, rooms, caller.identity());
        response.headers().firstValueAsLong(Membership.VERSION_HEADER)
                .ifPresent(version -> authenticator.membershipChanged(caller.user().id(), version));
        return response;
    }

    /** Leaving also stops the caller's live sockets here from getting the room before the answer goes out. */
    private void leave(Context ctx) {
        ServiceResponse response = changeMembership(ctx);
        if (response.status() == 204) {
            fanout.memberLeft(UUID.fromString(ctx.pathParam("id")), caller(ctx).user().id());
        }
    }

    /** The signed-in caller of this request (checked once per request); 401 without a valid bearer token. */
    public Caller caller(Context ctx) {
        Caller known = ctx.attribute(CALLER);
        if (known != null) {
            return known;
        }
        Caller caller = authenticator.authenticate(bearerToken(ctx));
        ctx.attribute(CALLER, caller);
        HttpServer.setUser(ctx, caller.user().id());
        limits.checkUser(caller.user().id().toString());
        return caller;
    }

    /** An anonymous call, rate-limited by the client's address. */
    private Identity anonymous(Context ctx) {
        limits.checkAnonymous(ctx.ip());
        return anonymous;
    }

    private static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        ctx.header("WWW-Authenticate", "Bearer");
        return null;
    }

    private static void openApi(Context ctx) throws IOException {
        try (InputStream in = PublicApi.class.getResourceAsStream("/gateway/openapi.json")) {
            if (in == null) {
                throw new NotFound("the OpenAPI document is not bundled in this build");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }
}
