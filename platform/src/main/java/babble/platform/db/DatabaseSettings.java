package babble.platform.db;

import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a service keeps its data: an embedded H2 file under the data directory (the default), or its own
 * PostgreSQL database {@code babble_<service>} on the server named by {@code BABBLE_POSTGRES_URL}.
 */
public record DatabaseSettings(Store store, Path dataDir, String postgresHost, int postgresPort, String user,
                               String password, int poolSize, Duration startupTimeout, String prefix, int h2CacheMiB) {

    public enum Store { EMBEDDED, POSTGRES }

    public static DatabaseSettings from(Config config) {
        Store store = config.choice("STORE", Store.EMBEDDED);
        Path dataDir = Path.of(config.string("DATA_DIR", "data")).toAbsolutePath().normalize();
        int pool = config.integer("DB_POOL_SIZE", 5, 1, 500);
        // H2 keeps a page cache per database (16 MiB by default); all-in-one opens eight of them in one heap.
        int h2Cache = config.integer("H2_CACHE_MB", 4, 1, 4_096);
        Duration startup = config.duration("STARTUP_TIMEOUT", Duration.ofSeconds(30));
        String prefix = babble.platform.Infrastructure.namespace(config);
        if (store == Store.EMBEDDED) {
            return new DatabaseSettings(store, dataDir, null, 0, null, null, pool, startup, prefix, h2Cache);
        }
        String name = config.nameOf("POSTGRES_URL");
        String raw = config.string("POSTGRES_URL", "postgresql://127.0.0.1:5432");
        URI uri;
        try {
            uri = URI.create(raw.startsWith("jdbc:") ? raw.substring(5) : raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must look like postgresql://user:password@host:5432, got '" + raw + "'");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigException(name + " must look like postgresql://user:password@host:5432, got '" + raw + "'");
        }
        String user = config.string("POSTGRES_USER", "postgres");
        String password = config.string("POSTGRES_PASSWORD", "");
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : password;
        }
        return new DatabaseSettings(store, dataDir, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user,
                password, pool, startup, prefix, h2Cache);
    }

    /** The database a service owns: {@code <namespace>_<service>}, {@code babble_users} by default. */
    public String databaseName(String service) {
        return prefix + "_" + service.replace('-', '_');
    }

    public String describe(String database) {
        return store == Store.EMBEDDED ? "H2 file " + dataDir.resolve(database)
                : "PostgreSQL " + postgresHost + ":" + postgresPort + "/" + database;
    }
}
