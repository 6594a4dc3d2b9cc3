package babble.users;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.users.api.UsersApi;
import babble.users.domain.PasswordHasher;
import babble.users.domain.Users;
import babble.users.events.UserEvents;
import babble.users.domain.SessionStore;
import babble.users.store.DbSessionStore;
import babble.users.store.RedisSessionStore;
import babble.users.store.UserStore;
import java.time.Duration;

/** Accounts, password hashes and sessions. */
public final class UsersService implements Service {

    @Override
    public String name() {
        return "users";
    }

    @Override
    public void start(Chassis chassis) {
        var config = UsersConfig.from(chassis.config());
        var db = chassis.database();
        // Sessions live in Redis when the deployment has it (expiring by TTL), else in the database.
        SessionStore sessions = chassis.redis().<SessionStore>map(RedisSessionStore::new).orElseGet(() -> new DbSessionStore(db));
        var users = new Users(db, new UserStore(), sessions, new PasswordHasher(config.argon2()),
                new UserEvents(chassis.outbox()), chassis.clock(), config.sessionTtl());
        chassis.http(routes -> new UsersApi(users).register(routes));
        chassis.every("expire-sessions", Duration.ofMinutes(10), sessions::deleteExpired);
    }
}
