package babble.platform;

import babble.platform.bus.Bus;
import babble.platform.bus.InProcessBus;
import babble.platform.bus.NatsBus;
import babble.platform.config.ConfigException;
import babble.platform.config.Config;
import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import babble.platform.identity.IdentityCodec;
import babble.platform.redis.Redis;
import babble.platform.telemetry.Tracing;
import java.time.Duration;
import java.util.Optional;

/**
 * What the services in one JVM share: settings, the bus, Redis (when configured), the identity key, the
 * directory of addresses and where traces go. Chosen by configuration only ({@code BABBLE_BUS},
 * {@code BABBLE_STORE}, {@code BABBLE_REDIS_URL}, {@code BABBLE_OTEL_EXPORTER}): services never know the mode.
 */
public final class Infrastructure implements AutoCloseable {
    public enum BusKind { IN_PROCESS, NATS }

    private final Config config;
    private final IdentityCodec identityCodec;
    private final ServiceDirectory directory;
    private final Bus bus;
    private final Redis redis;
    private final Tracing tracing;

    private Infrastructure(Config config, IdentityCodec identityCodec, ServiceDirectory directory, Bus bus, Redis redis,
                           Tracing tracing) {
        this.config = config;
        this.identityCodec = identityCodec;
        this.directory = directory;
        this.bus = bus;
        this.redis = redis;
        this.tracing = tracing;
    }

    public static Infrastructure create(Config config) {
        return create(config, Tracing.from(config));
    }

    /** With traces sent where {@code tracing} says (a test's in-memory exporter) instead of per the settings. */
    public static Infrastructure create(Config config, Tracing tracing) {
        String key = config.required("INTERNAL_KEY", "the shared key services sign identities with "
                + "(the launcher generates one; set 32+ random characters when running services yourself)");
        var codec = IdentityCodec.withKey(key);
        String namespace = namespace(config);
        Duration retention = config.duration("BUS_RETENTION", Duration.ofDays(7));
        // Streams that read models are rebuilt from (by replaying them from the start) are never pruned.
        var permanent = java.util.Set.copyOf(config.list("BUS_PERMANENT_STREAMS", java.util.List.of("post", "moderation")));
        Duration startup = config.duration("STARTUP_TIMEOUT", Duration.ofSeconds(30));
        BusKind kind = config.choice("BUS", BusKind.IN_PROCESS);
        Bus bus = switch (kind) {
            case IN_PROCESS -> new InProcessBus(Database.open("bus", DatabaseSettings.from(config), null), retention,
                    permanent);
            case NATS -> NatsBus.connect(config.string("NATS_URL", "nats://127.0.0.1:4222"), namespace,
                    config.string("PROCESS_NAME", "babble"), retention, permanent, startup);
        };
        Redis redis = null;
        var redisUrl = config.optional("REDIS_URL");
        if (redisUrl.isPresent()) {
            try {
                redis = Redis.connect(redisUrl.get(), namespace, startup);
            } catch (RuntimeException e) {
                bus.close();
                throw e;
            }
        }
        return new Infrastructure(config, codec, new ServiceDirectory(config), bus, redis, tracing);
    }

    /** The deployment's namespace ({@code BABBLE_NAMESPACE}, default babble): database names, subjects, keys. */
    public static String namespace(Config config) {
        String namespace = config.string("NAMESPACE", "babble");
        if (!namespace.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new ConfigException(config.nameOf("NAMESPACE") + " must be 1-31 lower-case letters, digits and '_', "
                    + "starting with a letter, got '" + namespace + "'");
        }
        return namespace;
    }

    public Config config() {
        return config;
    }

    public IdentityCodec identityCodec() {
        return identityCodec;
    }

    public ServiceDirectory directory() {
        return directory;
    }

    public Bus bus() {
        return bus;
    }

    /** Where the spans of every service in this JVM go ({@code BABBLE_OTEL_EXPORTER}). */
    public Tracing tracing() {
        return tracing;
    }

    /** Redis, when {@code BABBLE_REDIS_URL} is set (production); empty in the embedded mode. */
    public Optional<Redis> redis() {
        return Optional.ofNullable(redis);
    }

    @Override
    public void close() {
        bus.close();
        if (redis != null) {
            redis.close();
        }
        tracing.close();
    }
}
