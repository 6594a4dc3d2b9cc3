package babble.users.domain;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.util.concurrent.Semaphore;

/**
 * Argon2id password hashes (password4j), stored in PHC form so their parameters travel with them. Hashing is
 * deliberately expensive in memory and CPU, so at most a few run at once; the rest wait their turn.
 */
public final class PasswordHasher {
    private final Argon2Function argon2;
    private final Semaphore permits;
    private final String dummyHash;

    public record Settings(int memoryKib, int iterations, int parallelism, int maxConcurrent) {
    }

    public PasswordHasher(Settings settings) {
        this.argon2 = Argon2Function.getInstance(settings.memoryKib(), settings.iterations(), settings.parallelism(), 32,
                Argon2.ID);
        this.permits = new Semaphore(settings.maxConcurrent(), true);
        this.dummyHash = argon2.hash("a password nobody has").getResult();
    }

    public String hash(String password) {
        return bounded(() -> argon2.hash(password).getResult());
    }

    public boolean matches(String password, String hash) {
        if (hash == null) {
            return false;
        }
        return bounded(() -> Argon2Function.getInstanceFromHash(hash).check(password, hash));
    }

    /** Spends the same work as a real check, so a wrong username takes as long as a wrong password. */
    public void burnTimeOfACheck(String password) {
        matches(password, dummyHash);
    }

    private <T> T bounded(java.util.function.Supplier<T> work) {
        permits.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
