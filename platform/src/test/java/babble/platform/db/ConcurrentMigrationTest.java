package babble.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.platform.config.Config;
import babble.platform.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replicas of a service (two jobs processes) start together and migrate one PostgreSQL database at once. The schema
 * already holds the service's own tables, so Flyway baselines the platform's history table: in CI, a jobs process
 * that found it created by the other, still empty, refused to start. Each must come up with the migrations applied
 * once. The window is narrow (between the other's creating the table and its first row): in-process threads have
 * not hit it here, so this guards concurrent migration as a whole; the retry in {@link Database#migrate} is for it.
 */
class ConcurrentMigrationTest {

    @org.junit.jupiter.api.RepeatedTest(2) // the window is narrow: it did not open in-process here (see the note)
    void replicasMigratingOneDatabaseTogetherAllStart() throws Exception {
        assumeTrue(TestStores.production(), "only processes sharing a PostgreSQL database migrate it together");
        var settings = TestStores.freshSettings();
        TestStores.dropOnExit(settings);
        var databaseSettings = DatabaseSettings.from(Config.of(settings));
        try (var first = Database.open("replicated", databaseSettings, null)) {
            first.withHandle(h -> h.execute("create table service_own (id int primary key)")); // not empty
        }
        int replicas = 6;
        var databases = new ArrayList<Database>();
        for (int i = 0; i < replicas; i++) {
            databases.add(Database.open("replicated", databaseSettings, null));
        }
        try (var pool = Executors.newFixedThreadPool(replicas)) {
            var go = new CountDownLatch(1);
            List<Future<?>> migrations = new ArrayList<>();
            for (Database db : databases) {
                migrations.add(pool.submit(() -> {
                    go.await();
                    db.migrate("db/platform", "platform_schema_history");
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> migration : migrations) {
                migration.get(); // throws what a replica's migration threw
            }
        } finally {
            databases.forEach(Database::close);
        }
        try (var db = Database.open("replicated", databaseSettings, null)) {
            int applied = db.withHandle(h -> h.createQuery(
                    "select count(*) from platform_schema_history where success and type = 'SQL'").mapTo(Integer.class).one());
            int versions = db.withHandle(h -> h.createQuery(
                    "select count(distinct version) from platform_schema_history where type = 'SQL'").mapTo(Integer.class).one());
            int outboxRows = db.withHandle(h -> h.createQuery("select count(*) from outbox").mapTo(Integer.class).one());
            assertThat(applied).as("each migration applied once").isEqualTo(versions).isPositive();
            assertThat(outboxRows).isZero();
        }
    }
}
