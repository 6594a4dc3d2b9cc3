package babble.platform.testing;

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
 * Real stores for component tests: an H2 file in a fresh temporary directory by default, or a fresh PostgreSQL
 * database when {@code BABBLE_TEST_STORE=postgres} (the machine's server, {@code BABBLE_POSTGRES_URL}).
 */
public final class TestStores {
    private TestStores() {
    }

    public static boolean postgres() {
        return "postgres".equalsIgnoreCase(System.getenv().getOrDefault("BABBLE_TEST_STORE", "embedded"));
    }

    /** Settings for a fresh, empty store: every call gets its own data directory or database name prefix. */
    public static Map<String, String> freshSettings() {
        var settings = new HashMap<String, String>();
        try {
            settings.put("BABBLE_DATA_DIR", Files.createTempDirectory("babble-test-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.put("BABBLE_INTERNAL_KEY", "test-key-" + UUID.randomUUID() + UUID.randomUUID());
        settings.put("BABBLE_DATABASE_PREFIX", "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        if (postgres()) {
            settings.put("BABBLE_STORE", "postgres");
            settings.put("BABBLE_POSTGRES_URL", System.getenv().getOrDefault("BABBLE_POSTGRES_URL", "postgresql://127.0.0.1:5432"));
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

    /** Drops, when the test JVM exits, the PostgreSQL databases made with these settings. */
    public static void dropOnExit(Map<String, String> settings) {
        if (!postgres()) {
            return;
        }
        String prefix = settings.get("BABBLE_DATABASE_PREFIX") + "\\_%";
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabases(prefix)));
    }

    private static void dropDatabases(String likePattern) {
        String url = "jdbc:postgresql://127.0.0.1:5432/postgres";
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
             var find = c.prepareStatement("select datname from pg_database where datname like ?")) {
            find.setString(1, likePattern);
            var names = new java.util.ArrayList<String>();
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
        } catch (java.sql.SQLException e) {
            System.err.println("could not drop test databases " + likePattern + ": " + e.getMessage());
        }
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("babble-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
