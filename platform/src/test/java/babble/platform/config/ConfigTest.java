package babble.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    enum Store { EMBEDDED, POSTGRES }

    @Test
    void theFirstLayerThatHasASettingWins() {
        var config = Config.of(Map.of("BABBLE_PORT", "1"), Map.of("BABBLE_PORT", "2", "BABBLE_HOST", "h"));

        assertThat(config.port("PORT", 0)).isEqualTo(1);
        assertThat(config.string("HOST", "x")).isEqualTo("h");
        assertThat(config.string("MISSING", "fallback")).isEqualTo("fallback");
    }

    @Test
    void aServiceSeesItsOwnSettingBeforeTheGlobalOne() {
        var config = Config.of(Map.of("BABBLE_PORT", "8000", "BABBLE_USERS_PORT", "8101")).forService("users");

        assertThat(config.port("PORT", 0)).isEqualTo(8101);
        assertThat(config.forService("rooms").port("PORT", 0)).isEqualTo(8000);
        assertThat(config.nameOf("PORT")).isEqualTo("BABBLE_USERS_PORT");
    }

    @Test
    void overridesWinAndDefaultsLose() {
        var config = Config.of(Map.of("BABBLE_A", "env"))
                .withOverrides(Map.of("BABBLE_A", "override"))
                .withDefaults(Map.of("BABBLE_A", "default", "BABBLE_B", "default"));

        assertThat(config.string("A", null)).isEqualTo("override");
        assertThat(config.string("B", null)).isEqualTo("default");
    }

    @Test
    void badValuesFailWithTheSettingsName() {
        var config = Config.of(Map.of("BABBLE_USERS_PORT", "eighty", "BABBLE_TTL", "soon", "BABBLE_STORE", "mongo",
                "BABBLE_FLAG", "maybe", "BABBLE_N", "500")).forService("users");

        assertThatThrownBy(() -> config.port("PORT", 0)).hasMessageContaining("BABBLE_USERS_PORT");
        assertThatThrownBy(() -> config.duration("TTL", Duration.ZERO)).hasMessageContaining("BABBLE_TTL");
        assertThatThrownBy(() -> config.choice("STORE", Store.EMBEDDED))
                .hasMessageContaining("BABBLE_STORE").hasMessageContaining("postgres");
        assertThatThrownBy(() -> config.flag("FLAG", false)).hasMessageContaining("BABBLE_FLAG");
        assertThatThrownBy(() -> config.integer("N", 1, 1, 100)).hasMessageContaining("BABBLE_N").hasMessageContaining("100");
        assertThatThrownBy(() -> config.required("SECRET", "needed")).hasMessageContaining("BABBLE_SECRET");
    }

    @Test
    void durationsAndChoicesAreReadInTheirUsualForms() {
        var config = Config.of(Map.of("BABBLE_A", "500ms", "BABBLE_B", "30d", "BABBLE_C", "2s", "BABBLE_STORE", "postgres"));

        assertThat(config.duration("A", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(config.duration("B", null)).isEqualTo(Duration.ofDays(30));
        assertThat(config.duration("C", null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.choice("STORE", Store.EMBEDDED)).isEqualTo(Store.POSTGRES);
    }

    @Test
    void blankValuesCountAsUnset() {
        var config = Config.of(Map.of("BABBLE_PORT", " "));

        assertThat(config.port("PORT", 42)).isEqualTo(42);
    }
}
