package babble.platform.testing;

import io.nats.client.Nats;
import java.util.Locale;

/** Where the real servers of production adapters are for tests: the machine's NATS, Redis and PostgreSQL. */
public final class TestServers {
    private TestServers() {
    }

    public static String natsUrl() {
        return System.getenv().getOrDefault("BABBLE_NATS_URL", "nats://127.0.0.1:4222");
    }

    public static String redisUrl() {
        return System.getenv().getOrDefault("BABBLE_REDIS_URL", "redis://127.0.0.1:6379");
    }

    /** Deletes a test namespace's Redis keys. */
    public static void dropRedisNamespace(String namespace) {
        var client = io.lettuce.core.RedisClient.create(redisUrl());
        try (var connection = client.connect()) {
            var keys = connection.sync().keys(namespace + ":*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            System.err.println("could not drop Redis namespace " + namespace + ": " + e);
        } finally {
            client.shutdown();
        }
    }

    /** Deletes a test namespace's JetStream streams (and with them its consumers). */
    public static void dropNatsNamespace(String namespace) {
        try (var nats = Nats.connect(natsUrl())) {
            var management = nats.jetStreamManagement();
            String prefix = namespace.toUpperCase(Locale.ROOT) + "_";
            for (String stream : management.getStreamNames()) {
                if (stream.startsWith(prefix)) {
                    management.deleteStream(stream);
                }
            }
        } catch (Exception e) {
            System.err.println("could not drop NATS namespace " + namespace + ": " + e);
        }
    }
}
