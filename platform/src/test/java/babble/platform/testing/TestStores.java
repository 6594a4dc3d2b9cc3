package babble.platform.testing;

import babble.platform.Namespace;
import babble.platform.config.Config;
import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Real stores for component tests, chosen by {@code BABBLE_TEST_ADAPTERS}: {@code embedded} (default: H2 files
 * in a fresh directory, the in-process bus) or {@code production} (the machine's PostgreSQL, NATS JetStream and
 * Redis). Every call gets a fresh namespace, so tests never see each other's data; what production tests
 * create is dropped when the test JVM exits.
 */
public final class TestStores {
    private TestStores() {
    }

    public static boolean production() {
        return "production".equalsIgnoreCase(System.getenv().getOrDefault("BABBLE_TEST_ADAPTERS", "embedded"));
    }

    /** Settings for fresh, empty stores. */
    public static Map<String, String> freshSettings() {
        var settings = new HashMap<String, String>();
        settings.put("BABBLE_DATA_DIR", tempDir().toString());
        settings.put("BABBLE_INTERNAL_KEY", "test-key-" + UUID.randomUUID() + UUID.randomUUID());
        settings.put("BABBLE_NAMESPACE", "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        if (production()) {
            settings.put("BABBLE_STORE", "postgres");
            settings.put("BABBLE_POSTGRES_URL", System.getenv().getOrDefault("BABBLE_POSTGRES_URL", "postgresql://127.0.0.1:5432"));
            settings.put("BABBLE_BUS", "nats");
            settings.put("BABBLE_NATS_URL", TestServers.natsUrl());
            settings.put("BABBLE_REDIS_URL", TestServers.redisUrl());
        }
        return settings;
    }

    /** A fresh, empty database (its own PostgreSQL database, or its own H2 file). */
    public static Database database(String name) {
        var settings = freshSettings();
        var database = Database.open(name, DatabaseSettings.from(Config.of(settings)), null);
        dropOnExit(settings);
        return database;
    }

    /** Removes, when the test JVM exits, what production adapters stored under these settings' namespace. */
    public static void dropOnExit(Map<String, String> settings) {
        if (!production()) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Namespace.drop(Config.of(settings))));
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("babble-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
