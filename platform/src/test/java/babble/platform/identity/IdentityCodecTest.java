package babble.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityCodecTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final Clock now = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final IdentityCodec codec = new IdentityCodec(KEY, now, Duration.ofMinutes(5));

    @Test
    void aSignedIdentityVerifiesToTheSameIdentity() {
        var identity = Identity.ofUser("gateway", UUID.randomUUID(), "alice", "Alice Ünicode 😀");

        assertThat(codec.verify(codec.sign(identity))).contains(identity);
        assertThat(codec.verify(codec.sign(Identity.ofService("bot")))).contains(Identity.ofService("bot"));
    }

    @Test
    void aTamperedHeaderIsRejected() {
        String header = codec.sign(Identity.ofUser("gateway", UUID.randomUUID(), "alice", "alice"));
        String forgedClaims = codec.sign(Identity.ofUser("gateway", UUID.randomUUID(), "mallory", "m")).split("\\.")[0];

        assertThat(codec.verify(forgedClaims + "." + header.split("\\.")[1])).isEmpty();
        assertThat(codec.verify(header.substring(0, header.length() - 2) + "AA")).isEmpty();
        assertThat(codec.verify("garbage")).isEmpty();
        assertThat(codec.verify("")).isEmpty();
        assertThat(codec.verify(null)).isEmpty();
    }

    @Test
    void aHeaderSignedWithAnotherKeyIsRejected() {
        var other = new IdentityCodec("another key of thirty-two bytes!!".getBytes(StandardCharsets.UTF_8), now,
                Duration.ofMinutes(5));

        assertThat(codec.verify(other.sign(Identity.ofService("gateway")))).isEmpty();
    }

    @Test
    void anExpiredHeaderIsRejected() {
        String header = codec.sign(Identity.ofService("gateway"));
        var later = new IdentityCodec(KEY, Clock.offset(now, Duration.ofMinutes(6)), Duration.ofMinutes(5));

        assertThat(later.verify(header)).isEmpty();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new IdentityCodec(new byte[16], now, Duration.ofMinutes(1)))
                .hasMessageContaining("BABBLE_INTERNAL_KEY");
    }
}
