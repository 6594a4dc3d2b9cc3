package babble.gateway;

import babble.gateway.api.HistoryClient;
import babble.gateway.api.LiveEndpoint;
import babble.gateway.api.Proxy;
import babble.gateway.api.PublicApi;
import babble.gateway.api.WebUi;
import babble.gateway.domain.Authenticator;
import babble.gateway.domain.Fanout;
import babble.gateway.domain.MyRooms;
import babble.gateway.domain.Presence;
import babble.gateway.domain.PresenceRegistry;
import babble.gateway.domain.RateLimits;
import babble.gateway.domain.CallerCache;
import babble.gateway.events.FollowNotifications;
import babble.gateway.events.RoomNotifications;
import babble.gateway.events.MentionNotifications;
import babble.gateway.events.JobFrames;
import babble.gateway.events.PostFrames;
import babble.gateway.events.PresenceFrames;
import babble.gateway.events.MembershipChanges;
import babble.gateway.events.SessionRevocations;
import babble.platform.Chassis;
import babble.platform.Service;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;

/**
 * The only public surface: checks tokens, routes each public call to the service that owns it, serves the web
 * UI, and fans room messages out to live WebSockets.
 */
public final class GatewayService implements Service {

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start(Chassis chassis) {
        var config = GatewayConfig.from(chassis.config());
        var users = chassis.client("users");
        var rooms = chassis.client("rooms");
        var messages = chassis.client("messages");
        var quotes = chassis.client("quotes");
        var follows = chassis.client("follows", config.optionalServiceTimeout());
        var counter = chassis.client("counter", config.optionalServiceTimeout());
        var posts = chassis.client("posts");
        var moderation = chassis.client("moderation");
        var query = chassis.client("query");
        var jobs = chassis.client("jobs", Duration.ofSeconds(35)); // POST /jobs with Prefer: wait=30 waits that long
        var mqtt = chassis.client("mqtt");
        var tags = chassis.client("tags");
        // each search replica keeps its own index: a user stays on one, so results never step back in time
        var search = chassis.client("search").stickyByUser();
        var recommend = chassis.client("recommend");
        var redis = chassis.redis();
        // With Redis, every gateway shares checked tokens, membership versions and rate-limit buckets; without,
        // each keeps its own.
        var callers = redis.map(r -> CallerCache.shared(r, config.tokenCacheTtl(), config.tokenCacheSize()))
                .orElseGet(() -> CallerCache.local(config.tokenCacheTtl(), config.tokenCacheSize()));
        // A later gateway's limits replace those stored in Redis by earlier ones (see RateLimits).
        long limitsVersion = System.currentTimeMillis();
        var limits = redis.map(r -> RateLimits.shared(r, config.userLimit(), config.anonymousLimit(), limitsVersion))
                .orElseGet(() -> RateLimits.local(config.userLimit(), config.anonymousLimit()));
        var authenticator = new Authenticator(users, rooms, callers, chassis.clock());
        var fanout = new Fanout(chassis.bus(), new HistoryClient(messages));
        // Presence: with Redis, who is online on any gateway; without, on this one. A fresh id per process, so a
        // restarted gateway never inherits the users its previous life held.
        var presenceFrames = new PresenceFrames(chassis.bus(), rooms, fanout);
        var presence = new Presence(redis.map(PresenceRegistry::shared).orElseGet(PresenceRegistry::local),
                chassis.name() + "-" + java.util.UUID.randomUUID(), presenceFrames, chassis.clock(),
                config.presenceGrace()).start();
        var live = new LiveEndpoint(authenticator, fanout, presence, rooms, chassis.meters(), config.socketsPerUser(),
                config.framesPerSocket());
        var routes = new PublicApi.Targets(users, rooms, messages, quotes, follows, counter, posts, moderation,
                query, jobs, mqtt, tags, search, recommend);
        var api = new PublicApi(authenticator, limits, new Proxy(chassis.name()), routes, new MyRooms(rooms, messages),
                fanout, live, presence);

        chassis.servePublicly();
        if (config.forwardedHeaders()) { // Jetty takes the client's address (and scheme) from the proxy's headers
            chassis.customizeHttp(http -> http.jetty.modifyHttpConfiguration(
                    c -> c.addCustomizer(new ForwardedRequestCustomizer())));
        }
        chassis.http(api::register);
        chassis.customizeHttp(WebUi::serve);
        chassis.customizeHttp(http -> http.jetty.modifyServletContextHandler(
                context -> context.addServlet(new ServletHolder(live), LiveEndpoint.PATH)));
        chassis.onStop(new SessionRevocations(chassis.bus(), authenticator, live).start());
        chassis.onStop(new MembershipChanges(chassis.bus(), fanout).start());
        chassis.onStop(fanout);
        chassis.onStop(presence);
        chassis.onStop(presenceFrames.start());
        chassis.onStop(new FollowNotifications(chassis.bus(), live).start());
        chassis.onStop(new MentionNotifications(chassis.bus(), live).start());
        chassis.onStop(new RoomNotifications(chassis.bus(), live).start());
        chassis.onStop(new PostFrames(chassis.bus(), fanout, live).start());
        chassis.onStop(new JobFrames(chassis.bus(), live).start());
    }
}
