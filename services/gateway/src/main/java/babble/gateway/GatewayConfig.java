package babble.gateway;

import babble.platform.config.Config;
import java.time.Duration;

/** The gateway's settings: how long a checked token is trusted without asking the users service again. */
public record GatewayConfig(Duration tokenCacheTtl, int tokenCacheSize) {

    public static GatewayConfig from(Config config) {
        return new GatewayConfig(
                config.duration("TOKEN_CACHE_TTL", Duration.ofSeconds(60)),
                config.integer("TOKEN_CACHE_SIZE", 100_000, 0, 10_000_000));
    }
}
