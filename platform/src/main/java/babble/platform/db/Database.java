package babble.platform.db;

import babble.platform.config.ConfigException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's own database: a HikariCP pool, Flyway migrations (one history per owner), and Jdbi for SQL.
 * The same migrations and queries run on H2 (in PostgreSQL mode) and on PostgreSQL.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int MIGRATE_ATTEMPTS = 10;

    public enum Kind { H2, POSTGRES }

    private final String name;
    private final Kind kind;
    private final String description;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final H2Compaction compaction;

    private Database(String name, Kind kind, String description, HikariDataSource dataSource) {
        this.name = name;
        this.kind = kind;
        this.description = description;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.compaction = kind == Kind.H2 ? new H2Compaction(name, dataSource) : null;
    }

    /**
     * Opens (and for PostgreSQL, creates if missing) the database of service {@code name}, waiting up to the
     * startup timeout for the server; a wrong setting fails at once with the setting's name.
     */
    public static Database open(String name, DatabaseSettings settings, MeterRegistry registry) {
        String database = settings.databaseName(name);
        var hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(Math.min(2, settings.poolSize()));
        // A request waits at most 1 s for a connection, then answers 503 itself: before its caller's own timeout (2 s,
        // BABBLE_CLIENT_TIMEOUT) runs out. With both at 2 s the callers mostly timed out first, and a timeout counts
        // against the target's breaker where a 503 does not: a PostgreSQL restart left the gateway's breaker open for
        // the first calls after every service was ready again.
        hikari.setConnectionTimeout(1_000);
        hikari.setValidationTimeout(1_000);
        hikari.setInitializationFailTimeout(-1); // start even if the server is down; readiness tells
        if (registry != null) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        Kind kind;
        if (settings.store() == DatabaseSettings.Store.EMBEDDED) {
            kind = Kind.H2;
            var file = settings.dataDir().resolve(name).resolve(database);
            // WRITE_DELAY=0: every commit reaches the file before it is acknowledged, so a killed process loses nothing.
            // RETENTION_TIME=0: space of superseded chunks is reused at once. H2's default keeps every chunk for 45 s,
            // so under a few thousand commits a second the file grew by megabytes a second and each commit got
            // dearer (measured: 7,000 commits/s and a 1.2 GB file for one counter row, against 42,000 and under 1 MB).
            // The default guards against a disk that reorders writes on power loss; H2 does not fsync each commit
            // anyway, so the embedded store promises survival of a process crash, not of the machine's (PostgreSQL's
            // job in production).
            hikari.setJdbcUrl("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;RETENTION_TIME=0;CACHE_SIZE=" + settings.h2CacheMiB() * 1024);
            hikari.setUsername("sa");
            hikari.setPassword("");
        } else {
            kind = Kind.POSTGRES;
            createIfMissing(settings, database);
            hikari.setJdbcUrl("jdbc:postgresql://" + settings.postgresHost() + ":" + settings.postgresPort() + "/" + database
                    + "?ApplicationName=babble-" + name + "&connectTimeout=2&socketTimeout=30&tcpKeepAlive=true");
            hikari.setUsername(settings.user());
            hikari.setPassword(settings.password());
        }
        return new Database(name, kind, settings.describe(database), new HikariDataSource(hikari));
    }

    /**
     * Runs the migrations under {@code classpath:location}, recorded in their own history table. They may name
     * {@code ${patternOps}}: the operator class of an index for prefix searches on this kind of database.
     */
    public void migrate(String location, String historyTable) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + location)
                // A btree index that serves LIKE 'prefix%' needs text_pattern_ops on PostgreSQL (unless the database's
                // collation is C); on H2 any index does, and the operator class is not known there.
                .placeholders(java.util.Map.of("patternOps", kind == Kind.POSTGRES ? "text_pattern_ops" : ""))
                .table(historyTable)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        // Replicas of a service (two jobs processes) start together on one database. Flyway locks while it
        // migrates, but not while it decides to baseline: a process that finds the history table just created by
        // the other, still empty, refuses ("Unable to baseline ... exists, and is empty"). Once the other is done
        // there is nothing left to do, so it tries again.
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                break;
            } catch (org.flywaydb.core.api.FlywayException e) {
                if (attempt == MIGRATE_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Unable to baseline")) {
                    throw e;
                }
                log.info("{}: another process is migrating {}; trying again", description, historyTable);
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        log.atInfo().addKeyValue("database", description).addKeyValue("migrations", location)
                .log("migrated {} from {}", description, location);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> work) throws X {
        return jdbi.inTransaction(work);
    }

    public <X extends Exception> void useTransaction(HandleConsumer<X> work) throws X {
        jdbi.useTransaction(work);
    }

    public <R, X extends Exception> R withHandle(HandleCallback<R, X> work) throws X {
        return jdbi.withHandle(work);
    }

    /** True when a connection can be had and answers within a second. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Blocks until the database answers, up to {@code timeoutMillis}; fails with a message naming the store. */
    public void awaitReachable(long timeoutMillis) {
        Instant deadline = Instant.now().plusMillis(timeoutMillis);
        while (!isReachable()) {
            if (Instant.now().isAfter(deadline)) {
                throw new ConfigException("cannot reach " + description + " (BABBLE_POSTGRES_URL / BABBLE_STORE)");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + description, e);
            }
        }
    }

    /**
     * Deletes every table and row of this database (it stays, empty): what an operator does to make a service
     * rebuild its store, such as a read model replaying the event log. Only while the service is stopped.
     */
    public void wipe() {
        useTransaction(tx -> {
            if (kind == Kind.H2) {
                tx.execute("drop all objects");
            } else {
                tx.execute("drop schema public cascade");
                tx.execute("create schema public");
            }
        });
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (compaction != null) {
            compaction.close();
        }
        dataSource.close();
    }

    private static void createIfMissing(DatabaseSettings settings, String database) {
        var props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", settings.password());
        props.setProperty("connectTimeout", "2");
        String url = "jdbc:postgresql://" + settings.postgresHost() + ":" + settings.postgresPort() + "/postgres";
        Instant deadline = Instant.now().plus(settings.startupTimeout());
        while (true) {
            try (Connection c = DriverManager.getConnection(url, props);
                 var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, database);
                try (var rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                try (var create = c.createStatement()) {
                    create.execute("create database \"" + database + "\"");
                    log.info("created database {}", database);
                }
                return;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) {
                    return; // another instance created it first
                }
                if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
                    throw new ConfigException("PostgreSQL refused the login for user '" + settings.user()
                            + "' (BABBLE_POSTGRES_URL / BABBLE_POSTGRES_USER / BABBLE_POSTGRES_PASSWORD): " + e.getMessage(), e);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new ConfigException("cannot reach PostgreSQL at " + settings.postgresHost() + ":"
                            + settings.postgresPort() + " (BABBLE_POSTGRES_URL): " + e.getMessage(), e);
                }
                log.warn("waiting for PostgreSQL at {}:{}: {}", settings.postgresHost(), settings.postgresPort(), e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }
}
