package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import babble.client.UserSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API.md "Versions", in processes mode, where the shared deployment runs quotes v1 and a canary v2 at 90/10
 * ({@code BABBLE_CANARY}): the split, pins, the served-by header, and a canary that starts failing taken out of
 * rotation within a few calls, then put back once it answers again.
 */
class CanaryIT extends E2E {
    private static final String RANDOM = "/api/v1/quotes/random";
    /** As the shared deployment sets it (BABBLE_VERSION_EJECT_PROBE_AFTER). */
    private static final Duration PROBE_AFTER = Duration.ofSeconds(5);

    private static String servedBy(ApiResponse response) {
        return response.header("Babble-Served-By");
    }

    @Test
    void aCanaryTakesItsShareIsPinnableAndLeavesTheRotationWhenItFails() throws Exception {
        assumeTrue(deployment instanceof LocalDeployment local && local.status().contains("quotes-v2:"),
                "needs the shared processes deployment, which runs a quotes canary");
        var local = (LocalDeployment) deployment;
        UserSession amy = newUser("canary");

        // The split: exactly one call in ten (smooth weighted round-robin), whatever the gateway's starting turn.
        int v2 = 0;
        for (int i = 0; i < 100; i++) {
            var response = amy.call("GET", RANDOM, null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(servedBy(response)).isIn("quotes/v1", "quotes/v2");
            v2 += servedBy(response).equals("quotes/v2") ? 1 : 0;
        }
        assertThat(v2).isEqualTo(10);

        // Pins, and what each version says of itself.
        for (String version : new String[] {"v1", "v2"}) {
            for (int i = 0; i < 10; i++) {
                var pinned = amy.call("GET", RANDOM, null, Map.of("Babble-Version", "quotes=" + version));
                assertThat(servedBy(pinned)).isEqualTo("quotes/" + version);
            }
        }
        var badPin = amy.call("GET", RANDOM, null, Map.of("Babble-Version", "quotes"));
        assertThat(badPin.status()).isEqualTo(400);
        assertThat(badPin.contentType()).startsWith("application/problem+json");
        assertThat(health(local.portOf("quotes-v2"))).contains("\"version\":\"v2\"").contains("\"service\":\"quotes\"");
        assertThat(servedBy(amy.call("GET", "/api/v1/rooms", null))).endsWith("/v1"); // every answer names its server

        // The canary starts failing every call: callers see at most the few failures it takes to eject it.
        try {
            assertThat(local.console("set quotes-v2 BABBLE_FAULTS=/api/v1/quotes=500:1.0")).startsWith("ok");
            local.awaitReady(Duration.ofSeconds(60));
            assertThat(amy.call("GET", RANDOM, null, Map.of("Babble-Version", "quotes=v2")).status()).isEqualTo(500);
            // Failures are the few in a row that eject v2, and the few probes each time it is tried again.
            long began = System.nanoTime();
            int failed = 0;
            for (int i = 0; i < 150; i++) {
                var response = amy.call("GET", RANDOM, null);
                if (response.status() >= 500) {
                    failed++;
                } else {
                    assertThat(servedBy(response)).isEqualTo("quotes/v1");
                }
            }
            long probeRounds = 1 + (System.nanoTime() - began) / PROBE_AFTER.toNanos();
            assertThat(failed).as("failures seen by the client").isBetween(1, (int) (5 + 3 * probeRounds))
                    .isLessThan(15); // 10% of 150 if v2 had stayed in rotation
            assertThat(metrics(deployment.baseUrl()))
                    .containsPattern("babble_versions_changes_total\\{[^}]*change=\"ejected\"[^}]*target=\"quotes\"[^}]*version=\"v2\"");
            E2E.reportFailureTest("canary-ejected", Map.of("failures_seen", failed));
        } finally {
            assertThat(local.console("set quotes-v2 BABBLE_FAULTS=")).startsWith("ok");
            local.awaitReady(Duration.ofSeconds(60));
        }

        // Healthy again: probes let it back in, and it takes its share.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> servedBy(amy.call("GET", RANDOM, null)).equals("quotes/v2"));
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String health(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String metrics(URI gateway) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
