package babble.platform.bus;

import babble.platform.config.Config;
import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import babble.platform.testing.TestStores;
import java.time.Duration;
import java.util.Map;

/** The in-process adapter, its streams in the embedded store (or PostgreSQL with BABBLE_TEST_ADAPTERS=production). */
class InProcessBusTest extends BusContract {
    private Map<String, String> settings;

    @Override
    protected Bus open() {
        settings = TestStores.freshSettings();
        TestStores.dropOnExit(settings);
        return reopen();
    }

    @Override
    protected Bus reopen() {
        return new InProcessBus(Database.open("bus", DatabaseSettings.from(Config.of(settings)), null), Duration.ofDays(1));
    }
}
