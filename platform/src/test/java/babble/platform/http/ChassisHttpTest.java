package babble.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.identity.Identity;
import babble.platform.problem.Conflict;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.testing.TestHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every service gets from the chassis over HTTP: problems, identity checks, limits, health and metrics. */
class ChassisHttpTest {
    record Greeting(String name, Integer times) {
    }

    static final class EchoService implements Service {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public void start(Chassis chassis) {
            chassis.http(r -> {
                r.post("/echo", ctx -> ctx.json(Requests.body(ctx, Greeting.class)));
                r.post("/echo-large", ctx -> ctx.json(Requests.body(ctx, Greeting.class, 200_000)));
                r.get("/whoami", ctx -> ctx.json(Requests.identity(ctx)));
                r.get("/missing", ctx -> {
                    throw NotFound.of("thing", "42");
                });
                r.get("/conflict", ctx -> {
                    throw new Conflict("already there");
                });
                r.get("/invalid", ctx -> {
                    throw new InvalidField("name", "is too long");
                });
                r.get("/bug", ctx -> {
                    throw new IllegalStateException("a bug");
                });
                r.get("/limit", ctx -> ctx.json(Map.of("limit", Requests.limit(ctx, 50, 200))));
            });
        }
    }

    static TestHarness harness;
    static final Identity CALLER = TestHarness.user("alice");

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new EchoService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aCallWithoutASignedIdentityIs401() {
        var reply = harness.call("echo", "GET", "/whoami", null, null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aForgedIdentityIs401() {
        var reply = harness.call("echo", "GET", "/whoami", null, null,
                Map.of("X-Babble-Identity", "eyJzIjoiZ2F0ZXdheSJ9.AAAA"));

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void theVerifiedIdentityReachesTheHandler() {
        var reply = harness.call("echo", "GET", "/whoami", null, CALLER);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.as(Identity.class)).isEqualTo(CALLER);
    }

    @Test
    void typedProblemsBecomeProblemJsonWithTheirStatus() {
        var missing = harness.call("echo", "GET", "/missing", null, CALLER);
        var conflict = harness.call("echo", "GET", "/conflict", null, CALLER);
        var invalid = harness.call("echo", "GET", "/invalid", null, CALLER);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail").asText()).isEqualTo("thing 42 does not exist");
        assertThat(missing.json().get("type").asText()).endsWith("/not-found");
        assertThat(missing.json().get("instance").asText()).isEqualTo("/missing");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.invalidField()).isEqualTo("name");
    }

    @Test
    void aBugIs500WithoutDetailsOfTheBug() {
        var reply = harness.call("echo", "GET", "/bug", null, CALLER);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).doesNotContain("IllegalStateException").contains("request id");
    }

    @Test
    void bodiesAreParsedStrictly() {
        assertThat(harness.call("echo", "POST", "/echo", "{\"name\":\"x\",\"times\":2}", CALLER).status()).isEqualTo(200);
        assertThat(harness.call("echo", "POST", "/echo", "{\"name\":", CALLER).status()).isEqualTo(400);
        assertThat(harness.call("echo", "POST", "/echo", "", CALLER).status()).isEqualTo(400);
        assertThat(harness.call("echo", "POST", "/echo", "null", CALLER).status()).isEqualTo(400);
        assertThat(harness.call("echo", "POST", "/echo", "{\"name\":\"x\"} trailing", CALLER).status()).isEqualTo(400);
        var wrongType = harness.call("echo", "POST", "/echo", "{\"name\":\"x\",\"times\":\"two\"}", CALLER);
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.invalidField()).isEqualTo("times");
        var numberForText = harness.call("echo", "POST", "/echo", "{\"name\":7}", CALLER);
        assertThat(numberForText.status()).isEqualTo(422);
        assertThat(numberForText.invalidField()).isEqualTo("name");
    }

    @Test
    void aStringHoldingNulIs422NamingItsFieldOnBothReadingPaths() {
        var reply = harness.call("echo", "POST", "/echo", "{\"name\":\"a\\u0000b\"}", CALLER);
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.invalidField()).isEqualTo("name");
        assertThat(harness.call("echo", "POST", "/echo-large", "{\"name\":\"\\u0000\"}", CALLER).invalidField())
                .isEqualTo("name");
        assertThat(harness.call("echo", "POST", "/echo", "{\"name\":\"tab\\tand\\nline\"}", CALLER).status())
                .isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        var reply = harness.call("echo", "POST", "/echo", "{\"name\":\"" + "x".repeat(70_000) + "\"}", CALLER);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aRouteWithALimitOfItsOwnTakesLargerBodiesUpToItAndParsesThemAsStrictly() {
        var large = harness.call("echo", "POST", "/echo-large", "{\"name\":\"" + "x".repeat(150_000) + "\"}", CALLER);
        var tooLarge = harness.call("echo", "POST", "/echo-large", "{\"name\":\"" + "x".repeat(250_000) + "\"}", CALLER);

        assertThat(large.status()).isEqualTo(200);
        assertThat(large.as(Greeting.class).name()).hasSize(150_000);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(harness.call("echo", "POST", "/echo-large", "", CALLER).status()).isEqualTo(400);
        assertThat(harness.call("echo", "POST", "/echo-large", "{\"name\":", CALLER).status()).isEqualTo(400);
        assertThat(harness.call("echo", "POST", "/echo-large", "{\"name\":\"x\"} trailing", CALLER).status()).isEqualTo(400);
        assertThat(harness.call("echo", "POST", "/echo-large", "{\"times\":\"two\"}", CALLER).invalidField()).isEqualTo("times");
    }

    @Test
    void aBodyThatSaysItIsNotJsonIs415AndJsonTypesAreTaken() {
        var xml = harness.call("echo", "POST", "/echo", "<greeting/>", CALLER, Map.of("Content-Type", "application/xml"));
        assertThat(xml.status()).isEqualTo(415);
        assertThat(xml.contentType()).startsWith("application/problem+json");
        assertThat(harness.call("echo", "POST", "/echo-large", "{\"name\":\"x\"}", CALLER,
                Map.of("Content-Type", "text/plain")).status()).isEqualTo(415);
        assertThat(harness.call("echo", "POST", "/echo", "{\"name\":\"x\"}", CALLER,
                Map.of("Content-Type", "application/json; charset=utf-8")).status()).isEqualTo(200);
        assertThat(harness.call("echo", "POST", "/echo", "{\"name\":\"x\"}", CALLER,
                Map.of("Content-Type", "application/merge-patch+json")).status()).isEqualTo(200);
    }

    @Test
    void aKnownPathAskedWithAnotherMethodIs405NamingTheMethodsItTakes() {
        var reply = harness.call("echo", "DELETE", "/echo", null, CALLER);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.header("Allow")).isEqualTo("POST");
    }

    @Test
    void anUnknownRouteIs404ProblemJson() {
        var reply = harness.call("echo", "GET", "/nothing-here", null, CALLER);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void limitsOutsideTheirRangeAre422() {
        assertThat(harness.call("echo", "GET", "/limit", null, CALLER).json().get("limit").asInt()).isEqualTo(50);
        assertThat(harness.call("echo", "GET", "/limit?limit=200", null, CALLER).status()).isEqualTo(200);
        assertThat(harness.call("echo", "GET", "/limit?limit=201", null, CALLER).invalidField()).isEqualTo("limit");
        assertThat(harness.call("echo", "GET", "/limit?limit=0", null, CALLER).status()).isEqualTo(422);
    }

    @Test
    void healthNeedsNoIdentityAndReportsReady() {
        var live = harness.call("echo", "GET", "/health/live", null, null);
        var ready = harness.call("echo", "GET", "/health/ready", null, null);

        assertThat(live.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("up");
        assertThat(ready.json().get("checks").get("bus").asText()).isEqualTo("up");
    }

    @Test
    void metricsHaveALatencyHistogramPerRoute() {
        harness.call("echo", "GET", "/missing", null, CALLER);

        var metrics = harness.call("echo", "GET", "/metrics", null, null).text();

        assertThat(metrics).contains("http_server_requests_seconds_bucket")
                .contains("route=\"/missing\"")
                .contains("status=\"404\"")
                .contains("service=\"echo\"")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void theRequestIdIsEchoedOrMade() {
        var reply = harness.call("echo", "GET", "/whoami", null, CALLER, Map.of("X-Request-Id", "abc-123"));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void headersOverTheLimitAre431ProblemJsonAndAUriOverItIs414() {
        var headers = harness.call("echo", "GET", "/whoami", null, CALLER, Map.of("X-Padding", "p".repeat(20_000)));
        var uri = harness.call("echo", "GET", "/whoami?padding=" + "u".repeat(20_000), null, CALLER);

        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.contentType()).startsWith("application/problem+json");
        assertThat(headers.json().get("type").asText()).endsWith("/headers-too-large");
        assertThat(uri.status()).isEqualTo(414);
        assertThat(uri.contentType()).startsWith("application/problem+json");
        assertThat(uri.json().get("status").asInt()).isEqualTo(414);
    }
}
