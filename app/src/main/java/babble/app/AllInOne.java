package babble.app;

import babble.platform.Launcher;
import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import java.util.List;

/** The all-in-one's controls: services stop and start inside this JVM. */
final class AllInOne implements Controls {
    private final Launcher launcher;

    AllInOne(Launcher launcher) {
        this.launcher = launcher;
    }

    @Override
    public List<String> status() {
        return launcher.hosts().stream().map(h -> h.name() + (h.isReady() ? "" : " (not ready)")).toList();
    }

    @Override
    public void stop(String name) {
        launcher.stopService(name);
    }

    @Override
    public void kill(String name) {
        stop(name);
    }

    @Override
    public void start(String name) throws Exception {
        launcher.startService(Catalog.find(name).orElseThrow().factory().get());
    }

    @Override
    public void set(String name, String key, String value) {
        throw new UnsupportedOperationException("set needs --mode processes: the services of one JVM share their settings");
    }

    @Override
    public void wipeStore(String name) throws java.io.IOException {
        var config = launcher.infrastructure().config().forService(name);
        if (name.equals("search")) { // its store is a directory of its own, rebuilt by replay when it is empty
            LocalState.deleteTree(babble.search.domain.SearchSettings.from(config).indexDir());
            return;
        }
        try (var db = Database.open(name, DatabaseSettings.from(config), null)) {
            db.wipe();
        }
    }

    @Override
    public List<String> names() {
        return Catalog.names();
    }
}
