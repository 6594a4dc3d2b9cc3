package babble.users;

import babble.platform.config.Config;
import babble.users.domain.PasswordHasher;
import java.time.Duration;

/** The users service's settings: how long sessions live and how hard password hashing is. */
public record UsersConfig(Duration sessionTtl, PasswordHasher.Settings argon2) {

    public static UsersConfig from(Config config) {
        return new UsersConfig(
                config.duration("SESSION_TTL", Duration.ofDays(30)),
                new PasswordHasher.Settings(
                        config.integer("ARGON2_MEMORY_KIB", 19_456, 1_024, 1_048_576),
                        config.integer("ARGON2_ITERATIONS", 2, 1, 20),
                        config.integer("ARGON2_PARALLELISM", 1, 1, 16),
                        config.integer("ARGON2_MAX_CONCURRENT", Runtime.getRuntime().availableProcessors(), 1, 256)));
    }
}
