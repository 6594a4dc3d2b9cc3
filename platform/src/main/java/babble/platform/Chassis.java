package babble.platform;

import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.EventHandler;
import babble.platform.bus.Subscription;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceClients;
import babble.platform.client.VersionChange;
import babble.platform.client.VersionEjection;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import babble.platform.consumer.IdempotentConsumer;
import babble.platform.consumer.TransactionalHandler;
import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import babble.platform.db.Sql;
import babble.platform.health.Health;
import babble.platform.http.Faults;
import babble.platform.http.HttpServer;
import babble.platform.identity.IdentityCodec;
import babble.platform.json.Json;
import babble.platform.metrics.Metrics;
import babble.platform.outbox.Outbox;
import babble.platform.outbox.OutboxRelay;
import babble.platform.telemetry.ServiceTracer;
import babble.platform.telemetry.TracedBus;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything cross-cutting a service needs, from one object: settings, its database (migrated), the outbox and
 * its relay, durable idempotent consumers, resilient clients to other services, the HTTP server with health,
 * metrics, problem+json and identity checks. A service asks for what it uses; the rest is never started.
 */
public final class Chassis {
    private static final Logger log = LoggerFactory.getLogger(Chassis.class);

    private final String name;
    private final Infrastructure infrastructure;
    private final Config config;
    // Microseconds: what both H2 and PostgreSQL keep, so a value read back equals the value first answered.
    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    private final Metrics metrics;
    private final ServiceTracer tracer;
    private final Bus bus;
    private final Health health = new Health();
    private final List<Consumer<RoutesConfig>> routes = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> httpCustomizers = new ArrayList<>();
    private final List<PendingConsumer> pendingConsumers = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<AutoCloseable> closeOnStop = new ArrayList<>();
    private final List<Thread> background = new ArrayList<>();
    private Database database;
    private OutboxRelay relay;
    private Outbox outbox;
    private ServiceClients clients;
    private boolean publicSurface;
    private Javalin server;
    private volatile boolean stopping;

    Chassis(String name, Infrastructure infrastructure) {
        this.name = name;
        this.infrastructure = infrastructure;
        this.config = infrastructure.config().forService(name);
        this.metrics = new Metrics(name);
        this.tracer = infrastructure.tracing().forService(name, version(), Infrastructure.namespace(config));
        this.bus = new TracedBus(infrastructure.bus(), tracer);
        health.check("bus", () -> infrastructure.bus().isReady());
    }

    public String name() {
        return name;
    }

    /**
     * The version this process runs ({@code BABBLE_VERSION}; an image sets it to its tag), named on every answer
     * ({@code Babble-Served-By}) and by {@code GET /health}; callers split traffic between versions by it.
     */
    public String version() {
        String version = config.string("VERSION", "v1");
        if (!version.matches("[A-Za-z0-9._-]{1,32}")) {
            throw new ConfigException(config.nameOf("VERSION")
                    + " must be letters, digits, '.', '_' or '-' (at most 32), got '" + version + "'");
        }
        return version;
    }

    /** This service's settings: {@code BABBLE_<NAME>_<KEY>} first, then {@code BABBLE_<KEY>}. */
    public Config config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public MeterRegistry meters() {
        return metrics.registry();
    }

    public Health health() {
        return health;
    }

    /** The bus, on which every event this service handles is traced (a consumer span in the writer's trace). */
    public Bus bus() {
        return bus;
    }

    public IdentityCodec identityCodec() {
        return infrastructure.identityCodec();
    }

    /** Redis when the deployment has it ({@code BABBLE_REDIS_URL}); a service that uses it is ready only with it. */
    public synchronized java.util.Optional<babble.platform.redis.Redis> redis() {
        var redis = infrastructure.redis();
        redis.ifPresent(r -> health.check("redis", r::isReady));
        return redis;
    }

    /** The service's own database, migrated from {@code classpath:db/<name>}; ready only while reachable. */
    public synchronized Database database() {
        if (database == null) {
            var settings = DatabaseSettings.from(config);
            database = Database.open(name, settings, metrics.registry());
            database.awaitReachable(settings.startupTimeout().toMillis());
            database.migrate("db/platform", "platform_schema_history");
            database.migrate("db/" + name, "flyway_schema_history");
            health.check("database", database::isReachable);
            every("prune-processed-events", Duration.ofHours(6), () -> database.withHandle(h ->
                    h.createUpdate("delete from processed_events where processed_at < :before")
                            .bind("before", Sql.utc(Instant.now().minus(Duration.ofDays(30)))).execute()));
        }
        return database;
    }

    /** The outbox of this service's database; events added to it are published after commit. */
    public synchronized Outbox outbox() {
        if (outbox == null) {
            relay = new OutboxRelay(database(), bus());
            outbox = new Outbox(relay, clock);
        }
        return outbox;
    }

    /**
     * A durable, idempotent consumer named {@code <service>.<consumer>} of the events matching {@code subjects}:
     * each event is handled once, inside a transaction of this service's database. Starts with the service.
     */
    public void consume(String consumer, String subjects, TransactionalHandler handler) {
        String durable = name + "." + consumer;
        var idempotent = new IdempotentConsumer(database(), durable, handler, clock);
        pendingConsumers.add(new PendingConsumer(durable, subjects, idempotent, Bus.StartFrom.BEGINNING));
    }

    /**
     * Makes the durable consumer {@code consumer} (of {@link #consume}) start again from the first event: for a
     * projection whose store was found empty. Call it before the service starts serving.
     */
    public void resetConsumer(String consumer, String subjects) {
        bus().resetConsumer(name + "." + consumer, subjects);
    }

    /**
     * A durable consumer that keeps no state in a database: it must be idempotent itself (for example by
     * passing an Idempotency-Key on the calls it makes). {@code start} says where it begins when first created.
     */
    public void consumeStateless(String consumer, String subjects, Bus.StartFrom start, EventHandler handler) {
        pendingConsumers.add(new PendingConsumer(name + "." + consumer, subjects, handler, start));
    }

    /** A client for calling another service, with timeouts, retries, a breaker and a bulkhead. */
    public ServiceClient client(String service) {
        return clients().to(service);
    }

    /** A client with its own timeout, for calls that must give up sooner than the default (2 s). */
    public ServiceClient client(String service, Duration timeout) {
        return clients().to(service, timeout);
    }

    private synchronized ServiceClients clients() {
        if (clients == null) {
            clients = new ServiceClients(infrastructure.directory(), identityCodec(),
                    config.duration("CLIENT_TIMEOUT", Duration.ofSeconds(2)),
                    config.integer("CLIENT_MAX_CONCURRENT", 256, 1, 10_000), metrics.registry(), name,
                    VersionEjection.from(config), this::publishVersionChange);
        }
        return clients;
    }

    /** Tells the deployment (on the bus) that a version this service calls left or rejoined its rotation. */
    private void publishVersionChange(VersionChange change) {
        var event = new Event(Ids.newId(), change.type(), 1, Instant.now(),
                change.service(), Json.toTree(change), Map.of());
        bus().publish(event.subject(), event.id(), event.encode());
    }

    /** Adds routes to this service's HTTP server. */
    public void http(Consumer<RoutesConfig> addRoutes) {
        routes.add(addRoutes);
    }

    /** Lower-level server settings (static files, WebSocket factory); for the gateway. */
    public void customizeHttp(Consumer<JavalinConfig> customizer) {
        httpCustomizers.add(customizer);
    }

    /** Marks this service as the public surface: requests need no signed identity (it checks tokens itself). */
    public void servePublicly() {
        publicSurface = true;
    }

    /** Runs {@code task} every {@code period} in the background, from start until stop; failures are logged. */
    public void every(String taskName, Duration period, Runnable task) {
        background.add(Thread.ofVirtual().name(name + "-" + taskName).unstarted(() -> {
            while (!stopping) {
                sleep(period);
                if (stopping) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("{} task {} failed: {}", name, taskName, e.toString());
                }
            }
        }));
    }

    /** Closes {@code resource} when the service stops (in reverse order of registration). */
    public void onStop(AutoCloseable resource) {
        closeOnStop.add(resource);
    }

    // ---- lifecycle, driven by ServiceHost ----

    URI startServing() {
        var settings = new HttpServer.Settings(name, version(),
                config.string("HOST", "127.0.0.1"),
                config.port("PORT", 0),
                config.longValue("MAX_BODY_BYTES", 64 * 1024, 1024, 16L * 1024 * 1024),
                config.choice("ACCESS_LOG", HttpServer.AccessLog.EDGE),
                publicSurface ? null : identityCodec(),
                Faults.parse(config.optional("FAULTS").orElse(null)),
                new HttpServer.Connections(config.duration("HEADER_DEADLINE", HttpServer.Connections.DEFAULT.headerDeadline()),
                        config.integer("MAX_CONNECTIONS", HttpServer.Connections.DEFAULT.maxConnections(), 16, 1_000_000)));
        server = HttpServer.create(settings, metrics, health, tracer, routes, httpCustomizers).start();
        if (relay != null) {
            relay.start();
        }
        for (PendingConsumer c : pendingConsumers) {
            subscriptions.add(bus().consume(c.durableName(), c.subjects(), c.handler(), c.start()));
        }
        background.forEach(Thread::start);
        health.markStarted();
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return URI.create("http://" + host + ":" + server.port());
    }

    void stop() {
        stopping = true;
        health.markStopping();
        subscriptions.forEach(Subscription::close);
        if (server != null) {
            server.stop();
        }
        if (relay != null) {
            relay.close();
        }
        for (int i = closeOnStop.size() - 1; i >= 0; i--) {
            try {
                closeOnStop.get(i).close();
            } catch (Exception e) {
                log.warn("{}: closing {} failed: {}", name, closeOnStop.get(i), e.toString());
            }
        }
        if (clients != null) {
            clients.close();
        }
        if (database != null) {
            database.close();
        }
        metrics.close();
        tracer.close();
    }

    int port() {
        return server.port();
    }

    org.eclipse.jetty.server.LocalConnector localConnector() {
        return HttpServer.localConnector(server);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record PendingConsumer(String durableName, String subjects, EventHandler handler, Bus.StartFrom start) {
    }
}
