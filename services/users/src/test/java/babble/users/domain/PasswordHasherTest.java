package babble.users.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Settings(1024, 1, 1, 2));

    @Test
    void aHashIsArgon2idInPhcFormWithASaltAndNotThePassword() {
        String hash = hasher.hash("correct horse");

        assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("correct horse");
        assertThat(hasher.hash("correct horse")).isNotEqualTo(hash); // a fresh salt every time
    }

    @Test
    void onlyTheRightPasswordMatches() {
        String hash = hasher.hash("correct horse");

        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct horsf", hash)).isFalse();
        assertThat(hasher.matches("correct horse", null)).isFalse();
    }

    @Test
    void aHashKeepsItsOwnParametersSoStrongerSettingsStillCheckOldHashes() {
        String old = hasher.hash("pw12345678");
        var stronger = new PasswordHasher(new PasswordHasher.Settings(2048, 2, 1, 2));

        assertThat(stronger.matches("pw12345678", old)).isTrue();
    }
}
