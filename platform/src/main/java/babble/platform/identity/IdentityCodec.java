package babble.platform.identity;

import babble.platform.config.ConfigException;
import babble.platform.json.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the internal identity header with HMAC-SHA256 and a key every service shares. The
 * header is {@code base64url(claims).base64url(mac)}; claims expire after a short time so a captured header
 * is of little use.
 */
public final class IdentityCodec {
    public static final String HEADER = "X-Babble-Identity";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Mac prototype;
    private final Clock clock;
    private final Duration lifetime;

    public IdentityCodec(byte[] key, Clock clock, Duration lifetime) {
        if (key.length < 32) {
            throw new ConfigException("BABBLE_INTERNAL_KEY must be at least 32 bytes long");
        }
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public static IdentityCodec withKey(String key) {
        return new IdentityCodec(key.getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), Duration.ofMinutes(5));
    }

    public String sign(Identity identity) {
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        var claims = new Claims(identity.service(), identity.userId() == null ? null : identity.userId().toString(),
                identity.username(), identity.displayName(),
                identity.membershipVersion() == 0 ? null : identity.membershipVersion(), expires);
        String body = B64.encodeToString(Json.bytes(claims));
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The identity in a header, if it is well formed, correctly signed and not expired. */
    public Optional<Identity> verify(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int dot = header.indexOf('.');
        if (dot <= 0 || dot == header.length() - 1) {
            return Optional.empty();
        }
        String body = header.substring(0, dot);
        byte[] given;
        try {
            given = B64D.decode(header.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(given, mac(body))) {
            return Optional.empty();
        }
        try {
            Claims claims = Json.read(B64D.decode(body), Claims.class);
            if (claims.e() < clock.instant().getEpochSecond() || claims.s() == null) {
                return Optional.empty();
            }
            return Optional.of(new Identity(claims.s(), claims.u() == null ? null : UUID.fromString(claims.u()),
                    claims.n(), claims.d(), claims.m() == null ? 0 : claims.m()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = (Mac) prototype.clone();
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Short names keep the header small: service, user id, username, display name, membership version (absent
     * when 0), expiry (epoch s).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Claims(String s, String u, String n, String d, Long m, long e) {
    }
}
