package babble.platform.http;

import babble.platform.health.Health;
import babble.platform.identity.Identity;
import babble.platform.client.VersionPins;
import babble.platform.identity.IdentityCodec;
import babble.platform.json.Json;
import babble.platform.metrics.Metrics;
import babble.platform.problem.Problem;
import babble.platform.problem.ProblemDetails;
import babble.platform.problem.Unauthorized;
import babble.platform.problem.Unavailable;
import babble.platform.telemetry.ActiveSpan;
import babble.platform.telemetry.ServiceTracer;
import babble.platform.db.Sql;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds a service's HTTP server: Javalin on virtual threads, the 64 KiB body limit, request ids, a server span
 * per request (W3C {@code traceparent}), the signed identity check, problem+json for every error, an access log
 * line and a latency histogram per route, {@code /health/live}, {@code /health/ready} and {@code /metrics}.
 */
public final class HttpServer {
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** On {@code /health/ready}: the name of the service that answered. */
    public static final String SERVICE_HEADER = "X-Babble-Service";
    /** On every answer: {@code <service>/<version>} of the process that served it. */
    public static final String SERVED_BY_HEADER = "Babble-Served-By";
    static final String IDENTITY_ATTRIBUTE = "babble.identity";
    static final String USER_ATTRIBUTE = "babble.user";
    private static final String REQUEST_ID_ATTRIBUTE = "babble.request-id";
    private static final String SPAN_ATTRIBUTE = "babble.span";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger access = LoggerFactory.getLogger("babble.access");
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** How the server is set up; {@code identityCodec == null} means the server is public (the gateway). */
    public record Settings(String service, String version, String host, int port, long maxBodyBytes,
                           AccessLog accessLog, IdentityCodec identityCodec, Faults faults, Connections connections) {
    }

    /**
     * What one client's connection may hold: its request headers must arrive within {@code headerDeadline} (see
     * {@link HeaderDeadline}); at most {@code maxConnections} are open at once, past which new ones wait in the
     * kernel's accept queue instead of taking memory and descriptors here.
     */
    public record Connections(Duration headerDeadline, int maxConnections) {
        public static final Connections DEFAULT = new Connections(Duration.ofSeconds(10), 10_000);
    }

    /**
     * Which requests get an access line ({@code BABBLE_ACCESS_LOG}). {@code EDGE}: every request to the public
     * surface, and on internal services only the ones that failed (5xx) or were slow (a second or more): the edge
     * line already names the request id that every internal hop carries, and an internal line per hop would double
     * the cost of logging for nothing new. {@code ALL}: every request everywhere. {@code OFF}: none.
     */
    public enum AccessLog { EDGE, ALL, OFF }

    private HttpServer() {
    }

    public static Javalin create(Settings settings, Metrics metrics, Health health, ServiceTracer tracer,
                                 List<Consumer<RoutesConfig>> routes, List<Consumer<JavalinConfig>> customizers) {
        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), true));
            // Javalin applies this to bodies read whole (ctx.bodyAsBytes, Requests.body): the one limit of every
            // public route. A route that takes more reads its body as a stream with its own limit (Requests.bodyStream).
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = "application/json";
            config.http.prefer405over404 = true; // a known path asked with another method is 405 with Allow, not 404
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.addConnector((server, http) -> {
                var connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                connector.setIdleTimeout(120_000); // longer than clients' keep-alive, so they close first
                connector.addEventListener(new HeaderDeadline(settings.connections().headerDeadline(),
                        connector.getScheduler(), metrics.registry()));
                server.addBean(new NetworkConnectionLimit(settings.connections().maxConnections(), connector));
                return connector;
            });
            // Services in the same JVM call this one through memory: same HTTP, same handlers, no socket.
            config.jetty.addConnector((server, http) -> new LocalConnector(server, new HttpConnectionFactory(http)));
            config.requestLogger.http((ctx, ms) -> afterRequest(settings, metrics, ctx, ms));

            RoutesConfig r = config.routes;
            r.before(ctx -> startSpan(tracer, ctx)); // first: a request refused by the next handler is traced too
            r.before(ctx -> beginRequest(settings, ctx));
            if (settings.identityCodec() != null) {
                r.beforeMatched(ctx -> requireIdentity(settings.identityCodec(), ctx));
            }
            r.exception(Problem.class, (e, ctx) -> respond(ctx, e));
            r.exception(HttpResponseException.class, (e, ctx) -> {
                String allowed = e.getDetails().get("availableMethods");
                if (e.getStatus() == 405 && allowed != null) {
                    ctx.header("Allow", allowed.toUpperCase(java.util.Locale.ROOT));
                }
                respond(ctx, fromJavalin(e));
            });
            r.exception(Exception.class, (e, ctx) -> {
                if (Sql.isConnectionFailure(e)) {
                    log.warn("{} {}: the database is unreachable: {}", ctx.method(), ctx.path(), e.toString());
                    respond(ctx, new Unavailable("the database is unreachable right now", 2));
                    return;
                }
                log.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
                respond(ctx, new Problem(500, "internal", "Internal error",
                        "the server failed to answer; request id " + requestId(ctx)));
            });
            if (!settings.faults().faults().isEmpty()) {
                r.beforeMatched(ctx -> {
                    if (!ctx.path().startsWith("/health") && !ctx.path().equals("/metrics")) {
                        settings.faults().apply(ctx.path());
                    }
                });
            }
            r.get("/health", ctx -> ctx.json(java.util.Map.of("service", settings.service(), "version",
                    settings.version(), "status", health.ready().isUp() ? "up" : "down")));
            r.get("/health/live", ctx -> ctx.json(health.live()));
            r.get("/health/ready", ctx -> {
                var report = health.ready();
                // Who answered: a launcher that finds another service on a port it gave out is not fooled.
                ctx.header(SERVICE_HEADER, settings.service());
                ctx.status(report.isUp() ? 200 : 503).json(report);
            });
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            routes.forEach(add -> add.accept(r));
            customizers.forEach(c -> c.accept(config));
        });
    }

    /** The in-memory connector of a started server, through which services in this JVM call it. */
    public static LocalConnector localConnector(Javalin server) {
        for (var connector : server.jettyServer().server().getConnectors()) {
            if (connector instanceof LocalConnector local) {
                return local;
            }
        }
        throw new IllegalStateException("the server has no in-memory connector");
    }

    /** Writes a problem as problem+json, with {@code Retry-After} when the problem has one. */
    public static void respond(Context ctx, Problem problem) {
        if (problem.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(problem.retryAfterSeconds()));
        }
        ctx.status(problem.status())
                .contentType(ProblemDetails.CONTENT_TYPE)
                .result(Json.bytes(problem.details(ctx.path())));
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        return id == null ? "-" : id;
    }

    /** Lets the access log name the user (the gateway sets it after checking the token). */
    public static void setUser(Context ctx, UUID userId) {
        ctx.attribute(USER_ATTRIBUTE, userId);
        MDC.put("user_id", userId.toString());
    }

    private static void beginRequest(Settings settings, Context ctx) {
        String given = ctx.header(REQUEST_ID_HEADER);
        String id = given != null && SAFE_REQUEST_ID.matcher(given).matches() ? given : newRequestId();
        ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
        ctx.header(REQUEST_ID_HEADER, id);
        ctx.header(SERVED_BY_HEADER, settings.service() + "/" + settings.version());
        MDC.put("request_id", id);
        MDC.put("service", settings.service());
        String pins = VersionPins.parse(ctx.header(VersionPins.HEADER)); // 400 when malformed
        if (pins != null) {
            MDC.put(VersionPins.MDC_KEY, pins);
        }
    }

    private static void requireIdentity(IdentityCodec codec, Context ctx) {
        String path = ctx.path();
        if (path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics")) {
            return;
        }
        Identity identity = codec.verify(ctx.header(IdentityCodec.HEADER))
                .orElseThrow(() -> new Unauthorized("internal calls need a valid signed identity"));
        ctx.attribute(IDENTITY_ATTRIBUTE, identity);
        if (identity.hasUser()) {
            setUser(ctx, identity.userId());
        }
    }

    /** A random UUID for tracing, not for secrets: ThreadLocalRandom, without the shared SecureRandom's lock. */
    private static String newRequestId() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;               // version 4
        long low = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | Long.MIN_VALUE; // IETF variant
        return new UUID(high, low).toString();
    }

    private static Problem fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> new Problem(404, "not-found", "Not found", "no such resource");
            case 405 -> new Problem(405, "method-not-allowed", "Method not allowed",
                    "this path does not take that method" + (e.getDetails().containsKey("availableMethods")
                            ? "; it takes " + e.getDetails().get("availableMethods").toUpperCase(java.util.Locale.ROOT) : ""));
            case 413 -> new Problem(413, "payload-too-large", "Request body too large",
                    "the request body is over the size limit");
            default -> new Problem(e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage());
        };
    }

    private static boolean logged(Settings settings, int status, float ms) {
        return switch (settings.accessLog()) {
            case ALL -> true;
            case OFF -> false;
            case EDGE -> settings.identityCodec() == null || status >= 500 || ms >= 1_000;
        };
    }

    private static void afterRequest(Settings settings, Metrics metrics, Context ctx, float ms) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        int status = ctx.statusCode();
        metrics.recordRequest(ctx.method().name(), route, status, (long) (ms * 1_000_000));
        if (logged(settings, status, ms) && !route.startsWith("/health") && !route.equals("/metrics")) {
            UUID user = ctx.attribute(USER_ATTRIBUTE);
            access.atInfo()
                    .addKeyValue("method", ctx.method().name())
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("ms", Math.round(ms * 100) / 100.0)
                    .addKeyValue("user_id", user)
                    .log("{} {} {} {}ms", ctx.method().name(), ctx.path(), status, Math.round(ms));
        }
        ActiveSpan span = ctx.attribute(SPAN_ATTRIBUTE);
        if (span != null) {
            span.answered(ctx.method().name(), route, status);
            span.close();
        }
        MDC.clear();
    }

    /**
     * The request's server span, in the caller's trace when it sent {@code traceparent}; its ids go into every log
     * line of the request. Probes and scrapes are not traced: they would bury the traces worth reading.
     */
    private static void startSpan(ServiceTracer tracer, Context ctx) {
        String path = ctx.path();
        if (!path.startsWith("/health") && !path.equals("/metrics")) {
            ctx.attribute(SPAN_ATTRIBUTE, tracer.startServer(ctx.method().name(), path, ctx::header));
        }
    }
}
