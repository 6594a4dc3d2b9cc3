package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind a proxy, anonymous calls are rate-limited per real client, taken from {@code X-Forwarded-For}, but only
 * when the gateway is told it sits behind one: otherwise the header is the client's word and is ignored.
 */
class ForwardedAddressIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, String> TIGHT_LIMIT = Map.of(
            "BABBLE_GATEWAY_RATE_PER_ADDRESS", "1", "BABBLE_GATEWAY_BURST_PER_ADDRESS", "3");

    @Test
    void behindAProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        assumeTrue(System.getProperty("babble.e2e.baseUrl", "").isBlank(), "starts deployments of its own");
        var settings = new java.util.HashMap<>(TIGHT_LIMIT);
        settings.put("BABBLE_GATEWAY_FORWARDED_HEADERS", "true");
        try (var deployment = LocalDeployment.start("forwarded", Deployments.mode(), 1, settings)) {
            assertThat(visits(deployment.baseUrl(), "203.0.113.7", 6)).contains(429);
            assertThat(visits(deployment.baseUrl(), "203.0.113.8", 1)).containsExactly(200);
        }
    }

    @Test
    void withoutTheSettingTheForwardedHeaderIsIgnored() throws Exception {
        assumeTrue(System.getProperty("babble.e2e.baseUrl", "").isBlank(), "starts deployments of its own");
        try (var deployment = LocalDeployment.start("not-forwarded", Deployments.mode(), 1, TIGHT_LIMIT)) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 1; i <= 6; i++) { // a new address each time: were it believed, none would be limited
                statuses.addAll(visits(deployment.baseUrl(), "198.51.100." + i, 1));
            }
            assertThat(statuses).contains(429);
        }
    }

    private static List<Integer> visits(URI base, String forwardedFor, int times) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            var request = HttpRequest.newBuilder(base.resolve("/api/v1/counter")).header("X-Forwarded-For", forwardedFor).build();
            statuses.add(HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }
}
