package babble.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.config.ConfigException;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API.md "Versions" on one service: its version on every answer and on /health, pins checked, the fault switch. */
class VersionHeadersTest {
    static TestHarness harness;
    static final Identity CALLER = TestHarness.user("alice");

    @BeforeAll
    static void start() {
        harness = TestHarness.start(Map.of("BABBLE_ECHO_VERSION", "v7", "BABBLE_ECHO_FAULTS", "/bug=503:1.0"),
                new ChassisHttpTest.EchoService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void everyAnswerNamesTheVersionThatServedIt() {
        assertThat(harness.call("echo", "GET", "/limit", null, CALLER).header("Babble-Served-By")).isEqualTo("echo/v7");
        assertThat(harness.call("echo", "GET", "/missing", null, CALLER).header("Babble-Served-By")).isEqualTo("echo/v7");
        var health = harness.call("echo", "GET", "/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("service").asText()).isEqualTo("echo");
        assertThat(health.json().get("version").asText()).isEqualTo("v7");
        assertThat(health.json().get("status").asText()).isEqualTo("up");
    }

    @Test
    void aMalformedPinIs400AndAWellFormedOneIsAccepted() {
        var bad = harness.call("echo", "GET", "/limit", null, CALLER, Map.of("Babble-Version", "echo"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("detail").asText()).contains("Babble-Version");
        assertThat(harness.call("echo", "GET", "/limit", null, CALLER, Map.of("Babble-Version", "echo=v7")).status())
                .isEqualTo(200);
    }

    @Test
    void theFaultSwitchFailsItsPathOnly() {
        var faulty = harness.call("echo", "GET", "/bug", null, CALLER);
        assertThat(faulty.status()).isEqualTo(503);
        assertThat(faulty.json().get("type").asText()).endsWith("/injected-fault");
        assertThat(harness.call("echo", "GET", "/limit", null, CALLER).status()).isEqualTo(200);
    }

    @Test
    void badFaultSettingsNameTheSetting() {
        for (String bad : new String[] {"bug=500:1", "/bug=200:1", "/bug=500:2", "/bug=500", "/bug"}) {
            assertThatThrownBy(() -> Faults.parse(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("BABBLE_FAULTS");
        }
        assertThat(Faults.parse("/a=500:0.5, /b=429:1").faults()).hasSize(2);
    }
}
