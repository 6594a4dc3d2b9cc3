package babble.platform.redis;

import babble.platform.config.ConfigException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to Redis ({@code BABBLE_REDIS_URL}), shared by the services of one JVM: Lettuce, reconnecting
 * by itself; while Redis is away, commands fail fast (1 s) instead of queueing. Keys live under the namespace.
 */
public final class Redis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Redis.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String namespace;
    private volatile StatefulRedisConnection<String, byte[]> binary;

    private Redis(RedisClient client, StatefulRedisConnection<String, String> connection, String namespace) {
        this.client = client;
        this.connection = connection;
        this.namespace = namespace;
    }

    public static Redis connect(String url, String namespace, Duration startupTimeout) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new ConfigException("BABBLE_REDIS_URL must look like redis://host:6379, got '" + url + "'");
        }
        // The connection's handshake may take this long: a JVM starting among many on a busy machine (processes
        // mode starts twenty at once) can miss a 1 s handshake again and again. Commands keep their 1 s (below).
        uri.setTimeout(Duration.ofSeconds(10));
        var client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                .build());
        Instant deadline = Instant.now().plus(startupTimeout);
        while (true) {
            try {
                return new Redis(client, client.connect(StringCodec.UTF8), namespace);
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    client.shutdown();
                    throw new ConfigException("cannot reach Redis at " + url + " (BABBLE_REDIS_URL): " + e.getMessage(), e);
                }
                log.warn("waiting for Redis at {}: {}", url, e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }

    /** Commands on strings (thread-safe; pipelined over one connection). */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** A connection whose values are bytes (for libraries that store binary state, such as rate-limit buckets). */
    public synchronized StatefulRedisConnection<String, byte[]> binaryConnection() {
        if (binary == null) {
            binary = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        }
        return binary;
    }

    /**
     * A connection of the caller's own, for blocking commands (such as {@code XREADGROUP ... BLOCK}) that would
     * hold up everyone else's commands on the shared one. The caller closes it.
     */
    public StatefulRedisConnection<String, String> dedicatedConnection() {
        return client.connect(StringCodec.UTF8);
    }

    /** A key under this deployment's namespace: {@code key("session", hash)} → {@code babble:session:<hash>}. */
    public String key(String... parts) {
        return namespace + ":" + String.join(":", parts);
    }

    public boolean isReady() {
        try {
            return "PONG".equals(connection.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (binary != null) {
            binary.close();
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
