package babble.users.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TokensTest {
    @Test
    void aTokenCarries256RandomBits() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.newToken();
            assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void theStoredFormIsAStableSha256() {
        assertThat(Tokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
