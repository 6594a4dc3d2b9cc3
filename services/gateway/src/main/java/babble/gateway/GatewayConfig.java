package babble.gateway;

import babble.gateway.domain.RateLimits;
import babble.platform.config.Config;
import java.time.Duration;

/**
 * The gateway's settings: how long a checked token is trusted without asking the users service again, how
 * long it waits for optional services (follows, counter) before answering 503, so they can never hang a page,
 * the rate limits (requests per second and burst, per signed-in user and per client address), and whether the
 * client's address comes from a proxy's {@code Forwarded}/{@code X-Forwarded-For} headers (only behind a proxy
 * that sets them: otherwise any client could pick its own address and dodge its limit), and how many live
 * sockets one user may hold open on one gateway (tabs and devices; a script opening thousands is refused), and
 * how many frames a socket may send per second (a subscribe costs a call to rooms and a replay: a flood is dropped),
 * and how long a user stays online after their last socket closed (a reload or a hop to another gateway within it
 * shows no one a flicker).
 */
public record GatewayConfig(Duration tokenCacheTtl, int tokenCacheSize, Duration optionalServiceTimeout,
                            RateLimits.Limit userLimit, RateLimits.Limit anonymousLimit, boolean forwardedHeaders,
                            int socketsPerUser, RateLimits.Limit framesPerSocket, Duration presenceGrace) {

    public static GatewayConfig from(Config config) {
        return new GatewayConfig(
                config.duration("TOKEN_CACHE_TTL", Duration.ofSeconds(60)),
                config.integer("TOKEN_CACHE_SIZE", 100_000, 1, 10_000_000),
                config.duration("OPTIONAL_SERVICE_TIMEOUT", Duration.ofMillis(800)),
                new RateLimits.Limit(config.integer("RATE_PER_USER", 100, 1, 1_000_000),
                        config.integer("BURST_PER_USER", 1_000, 1, 10_000_000)),
                new RateLimits.Limit(config.integer("RATE_PER_ADDRESS", 50, 1, 1_000_000),
                        config.integer("BURST_PER_ADDRESS", 200, 1, 10_000_000)),
                config.flag("FORWARDED_HEADERS", false),
                config.integer("SOCKETS_PER_USER", 50, 1, 1_000_000),
                new RateLimits.Limit(config.integer("FRAMES_PER_SECOND", 20, 1, 1_000_000),
                        config.integer("FRAMES_BURST", 60, 1, 10_000_000)),
                config.duration("PRESENCE_GRACE", Duration.ofSeconds(5)));
    }
}
