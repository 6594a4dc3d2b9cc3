package babble.follows.domain;

import babble.contracts.api.UserView;
import babble.follows.store.UserStore;
import babble.platform.db.Database;
import babble.platform.problem.NotFound;
import java.util.UUID;

/** The users this service knows: its own copy first, the users service on a miss (then remembered). */
public final class People {
    private final Database db;
    private final UserStore store;
    private final UserDirectory directory;

    public People(Database db, UserStore store, UserDirectory directory) {
        this.db = db;
        this.store = store;
        this.directory = directory;
    }

    public UserView require(UUID id) {
        var known = db.withHandle(h -> store.find(h, id));
        if (known.isPresent()) {
            return known.get();
        }
        UserView user = directory.find(id).orElseThrow(() -> NotFound.of("user", id));
        db.useTransaction(tx -> store.remember(tx, user));
        return user;
    }
}
