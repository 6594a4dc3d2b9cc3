package babble.platform.testing;

/** Where the real servers of production adapters are for tests: the machine's NATS, Redis and PostgreSQL. */
public final class TestServers {
    private TestServers() {
    }

    public static String natsUrl() {
        return System.getenv().getOrDefault("BABBLE_NATS_URL", "nats://127.0.0.1:4222");
    }

    public static String redisUrl() {
        return System.getenv().getOrDefault("BABBLE_REDIS_URL", "redis://127.0.0.1:6379");
    }
}
