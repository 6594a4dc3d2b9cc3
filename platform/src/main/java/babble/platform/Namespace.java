package babble.platform;

import babble.platform.config.Config;
import babble.platform.db.DatabaseSettings;
import io.lettuce.core.RedisClient;
import io.nats.client.Nats;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a deployment stored on shared servers under its namespace: PostgreSQL databases
 * {@code <namespace>_*}, JetStream streams {@code <NAMESPACE>_*}, Redis keys {@code <namespace>:*}. Throwaway
 * deployments (tests, benchmarks: {@code up --ephemeral}) remove it all when they stop.
 */
public final class Namespace {
    private static final Logger log = LoggerFactory.getLogger(Namespace.class);

    private Namespace() {
    }

    /** Drops the databases, streams and Redis keys of the namespace {@code BABBLE_NAMESPACE} names. */
    public static void drop(Config config) {
        String namespace = Infrastructure.namespace(config);
        if (namespace.equals("babble")) {
            throw new IllegalArgumentException("refusing to drop the default namespace 'babble'");
        }
        dropDatabases(DatabaseSettings.from(config.withOverrides(java.util.Map.of("BABBLE_STORE", "postgres"))), namespace);
        dropStreams(config.string("NATS_URL", "nats://127.0.0.1:4222"), namespace);
        dropKeys(config.string("REDIS_URL", "redis://127.0.0.1:6379"), namespace);
    }

    /** PostgreSQL databases {@code <namespace>_*}. */
    public static void dropDatabases(DatabaseSettings db, String namespace) {
        var props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        String url = "jdbc:postgresql://" + db.postgresHost() + ":" + db.postgresPort() + "/postgres";
        try (var c = DriverManager.getConnection(url, props);
             var find = c.prepareStatement("select datname from pg_database where datname like ?")) {
            find.setString(1, namespace + "\\_%");
            List<String> names = new ArrayList<>();
            try (var rs = find.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                try (var drop = c.createStatement()) {
                    drop.execute("drop database if exists \"" + name + "\" with (force)");
                }
            }
        } catch (Exception e) {
            log.warn("could not drop the databases of namespace {}: {}", namespace, e.toString());
        }
    }

    /** JetStream streams {@code <NAMESPACE>_*}, and with them their consumers. */
    public static void dropStreams(String natsUrl, String namespace) {
        try (var nats = Nats.connect(natsUrl)) {
            var management = nats.jetStreamManagement();
            for (String stream : management.getStreamNames()) {
                if (stream.startsWith(namespace.toUpperCase(Locale.ROOT) + "_")) {
                    management.deleteStream(stream);
                }
            }
        } catch (Exception e) {
            log.warn("could not drop the streams of namespace {}: {}", namespace, e.toString());
        }
    }

    /** Redis keys {@code <namespace>:*}. */
    public static void dropKeys(String redisUrl, String namespace) {
        var redis = RedisClient.create(redisUrl);
        try (var connection = redis.connect()) {
            var keys = connection.sync().keys(namespace + ":*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } catch (Exception e) {
            log.warn("could not drop the Redis keys of namespace {}: {}", namespace, e.toString());
        } finally {
            redis.shutdown();
        }
    }
}
