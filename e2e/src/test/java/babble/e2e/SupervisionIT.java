package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Processes mode restarts a process that dies by itself, as Kubernetes restarts a container, and leaves alone one
 * the console stopped. (Processes mode only: the all-in-one has one process.)
 */
class SupervisionIT extends E2E {
    @Test
    void aServiceThatDiesIsStartedAgainAndOneStoppedOnPurposeStaysStopped() {
        var local = (LocalDeployment) deployment;
        var bob = newUser("bob");
        local.console("kill follows"); // on purpose: stays down until started
        try {
            long pid = local.killFromOutside("counter"); // as the OOM killer would
            long died = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> local.status().matches("(?s).*\\bcounter:\\d+(,|\\]|$).*"));
            long backMs = (System.nanoTime() - died) / 1_000_000;
            assertThat(local.killFromOutside("counter")).isNotEqualTo(pid); // a new process: kill it too, it returns again
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> local.status().matches("(?s).*\\bcounter:\\d+(,|\\]|$).*"));
            assertThat(local.status()).contains("follows:").containsPattern("follows:\\d+ \\(stopped\\)");
            var counter = bob.call("GET", "/api/v1/counter", null, Map.of());
            assertThat(counter.status()).as(counter.text()).isEqualTo(200);
            E2E.reportFailureTest("supervision", Map.of("restarted_after_ms", backMs));
        } finally {
            local.console("start follows");
        }
    }
}
