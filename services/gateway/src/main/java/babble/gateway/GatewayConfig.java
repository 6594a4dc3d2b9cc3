package babble.gateway;

import babble.platform.config.Config;
import java.time.Duration;

/**
 * The gateway's settings: how long a checked token is trusted without asking the users service again, and how
 * long it waits for optional services (follows, counter) before answering 503, so they can never hang a page.
 */
public record GatewayConfig(Duration tokenCacheTtl, int tokenCacheSize, Duration optionalServiceTimeout) {

    public static GatewayConfig from(Config config) {
        return new GatewayConfig(
                config.duration("TOKEN_CACHE_TTL", Duration.ofSeconds(60)),
                config.integer("TOKEN_CACHE_SIZE", 100_000, 0, 10_000_000),
                config.duration("OPTIONAL_SERVICE_TIMEOUT", Duration.ofMillis(800)));
    }
}
