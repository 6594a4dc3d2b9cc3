package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import babble.client.BabbleClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits on every operation: a signed-in user over their limit gets 429 (problem+json, {@code Retry-After})
 * from every operation of the access matrix's declaration ({@link AccessMatrixIT#ROWS}, one row per operation of the
 * OpenAPI document, so a new endpoint is covered as soon as it has its row), and a limited write changes nothing;
 * anonymous operations are limited per client address. Behind a proxy the address is the forwarded one, but only
 * when the gateway is told it sits behind one.
 *
 * <p>Each row gets a fresh user (so its bucket is known to be full: {@value #USER_BURST} tokens, one more a second)
 * from a fresh forwarded address. It spends its burst on cheap reads until refused, then sends the row's request,
 * all within the second that refills one token: the answer must be 429.
 */
class RateLimitsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int USER_BURST = 6;
    /** The gateway's default burst of anonymous calls per address (GatewayConfig), which the shared deployment keeps. */
    private static final int DEFAULT_BURST_PER_ADDRESS = 200;
    private static final Map<String, String> TIGHT_LIMIT = Map.of(
            "BABBLE_GATEWAY_RATE_PER_ADDRESS", "1", "BABBLE_GATEWAY_BURST_PER_ADDRESS", "3");
    /** Not limited: the OpenAPI document is static; live sockets have limits of their own (LiveIT). */
    private static final List<String> NOT_LIMITED = List.of("GET /openapi.json", "GET /live");

    private static LocalDeployment behindProxy;
    private static BabbleClient client;
    private static final AtomicInteger addresses = new AtomicInteger();

    @BeforeAll
    static void start() {
        assumeTrue(System.getProperty("babble.e2e.baseUrl", "").isBlank(), "starts deployments of its own");
        var settings = new java.util.HashMap<>(TIGHT_LIMIT);
        settings.put("BABBLE_GATEWAY_FORWARDED_HEADERS", "true");
        settings.put("BABBLE_GATEWAY_RATE_PER_USER", "1");
        settings.put("BABBLE_GATEWAY_BURST_PER_USER", Integer.toString(USER_BURST));
        behindProxy = LocalDeployment.start("rate-limits", Deployments.mode(), 1, settings);
        client = new BabbleClient(behindProxy.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (behindProxy != null) {
            behindProxy.close();
        }
    }

    /** A user of its own, signed in from an address of its own: a token and the id. */
    private record Fresh(String token, UUID id, Map<String, String> from) {
    }

    private static Map<String, String> newAddress() {
        int n = addresses.incrementAndGet();
        return Map.of("X-Forwarded-For", "10.9." + (n / 250) + "." + (n % 250 + 1));
    }

    private static ApiResponse send(String method, String path, Object body, String token, Map<String, String> headers) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : BabbleClient.json().writeValueAsBytes(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return client.send(method, "/api/v1" + path, HttpRequest.BodyPublishers.ofByteArray(bytes), "application/json",
                token, headers, Duration.ofSeconds(15)); // no retry on 429, unlike BabbleClient.call
    }

    private static Fresh newUser() {
        var from = newAddress();
        String name = E2E.uniqueName("rl");
        assertThat(send("POST", "/users", Map.of("username", name, "password", E2E.PASSWORD), null, from).status()).isEqualTo(201);
        var session = send("POST", "/sessions", Map.of("username", name, "password", E2E.PASSWORD), null, from).orThrow().json();
        return new Fresh(session.get("token").asText(), UUID.fromString(session.get("user").get("id").asText()), from);
    }

    @Test
    void aUserOverTheLimitGets429FromEveryOperationAndALimitedWriteChangesNothing() {
        var owner = newUser();
        UUID room = UUID.fromString(E2E.whenAvailable(() -> send("POST", "/rooms", Map.of("name", "limits"), owner.token(), owner.from())).orThrow()
                .json().get("id").asText());
        String post = E2E.whenAvailable(() -> send("POST", "/rooms/" + room + "/posts", Map.of("title", "before the limits"),
                        owner.token(), owner.from())).orThrow().json().get("id").asText();
        // The post is listed once moderation approved it: counted before the limits, not during them.
        var before = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> counts(owner, room), counts -> counts.get(1) == 1);

        var tried = new ArrayList<String>();
        var wrong = new ArrayList<String>();
        int joined = 0;
        for (var row : AccessMatrixIT.ROWS) {
            if (NOT_LIMITED.contains(row.operation()) || row.expected().get(AccessMatrixIT.Caller.NONE) != 401) {
                continue; // anonymous operations: the next test
            }
            ApiResponse answer = null;
            for (int attempt = 0; attempt < 3 && answer == null; attempt++) { // a slow machine may take the second
                var user = newUser();
                assertThat(send("PUT", "/rooms/" + room + "/members/me", null, user.token(), user.from()).status()).isEqualTo(200);
                joined++;
                var world = new AccessMatrixIT.World(room, post, UUID.randomUUID().toString(), user.id(), owner.id(), 1);
                var request = row.request().apply(world);
                long started = System.nanoTime();
                int spent = 1;
                while (send("GET", "/users/me", null, user.token(), user.from()).status() != 429) {
                    assertThat(++spent).as("the burst is spent").isLessThanOrEqualTo(USER_BURST + 3);
                }
                if (System.nanoTime() - started < 700_000_000L) { // well within the second that refills a token
                    answer = call(row.method(), request, user);
                }
            }
            assertThat(answer).as(row.operation() + ": the burst could not be spent within a second").isNotNull();
            tried.add(row.operation());
            if (answer.status() != 429 || answer.header("Retry-After") == null
                    || !answer.contentType().startsWith("application/problem+json")) {
                wrong.add(row.operation() + " -> " + answer.status() + " " + answer.text());
            }
        }
        E2E.reportFailureTest("rate limits", Map.of("operations limited per user", tried.size(), "wrong", wrong.size()));
        assertThat(wrong).as("operations that a user over the limit could still call").isEmpty();
        assertThat(tried).as("every signed-in operation tried").hasSizeGreaterThan(40);
        assertThat(counts(owner, room)).as("limited writes changed nothing").isEqualTo(before);
        assertThat(send("GET", "/rooms/" + room + "/members", null, owner.token(), owner.from()).orThrow().json()
                .get("members").size()).as("the owner and one member a row: no limited join or leave counted").isEqualTo(1 + joined);
    }

    @Test
    void anAddressOverTheLimitGets429FromEveryAnonymousOperation() {
        var wrong = new ArrayList<String>();
        var tried = new ArrayList<String>();
        var world = new AccessMatrixIT.World(UUID.randomUUID(), "p", "j", UUID.randomUUID(), UUID.randomUUID(), 1);
        for (var row : AccessMatrixIT.ROWS) {
            if (NOT_LIMITED.contains(row.operation()) || row.expected().get(AccessMatrixIT.Caller.NONE) == 401) {
                continue;
            }
            var from = newAddress();
            int spent = 0;
            while (send("GET", "/counter", null, null, from).status() != 429) {
                assertThat(++spent).as("the address's burst is spent").isLessThanOrEqualTo(6);
            }
            var request = row.operation().equals("POST /sessions") // the matrix's row signs in its own accounts
                    ? AccessMatrixIT.Request.of("/sessions", Map.of("username", "nobody", "password", E2E.PASSWORD))
                    : row.request().apply(world);
            var answer = call(row.method(), request, new Fresh(null, null, from));
            tried.add(row.operation());
            if (answer.status() != 429 || answer.header("Retry-After") == null) {
                wrong.add(row.operation() + " -> " + answer.status() + " " + answer.text());
            }
        }
        assertThat(tried).as("sign-up, sign-in and the counter").contains("POST /users", "POST /sessions", "GET /counter");
        assertThat(wrong).as("anonymous operations an address over its limit could still call").isEmpty();
    }

    @Test
    void behindAProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        assertThat(visits(HTTP, behindProxy.baseUrl(), "203.0.113.7", 6)).contains(429);
        assertThat(visits(HTTP, behindProxy.baseUrl(), "203.0.113.8", 1)).containsExactly(200);
    }

    @Test
    void withoutTheSettingTheForwardedHeaderIsIgnored() throws Exception {
        // The shared deployment keeps the defaults: X-Forwarded-For is not believed, and an address may make 200
        // anonymous calls at once, 50 a second after. Each call names a new address: were it believed, each would
        // have a full bucket and none would be refused. The calls come from a loopback address of their own
        // (127.0.0.2), so the bucket they empty is not the one the other tests' calls (from 127.0.0.1) are counted in.
        URI base = Deployments.shared().baseUrl();
        try (var fromOwnAddress = HttpClient.newBuilder().localAddress(java.net.InetAddress.getByName("127.0.0.2")).build()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5 * DEFAULT_BURST_PER_ADDRESS && !statuses.contains(429); i++) {
                statuses.addAll(visits(fromOwnAddress, base, "198.51." + (i / 250) + "." + (i % 250 + 1), 1));
            }
            assertThat(statuses).as("calls from one address, each naming another").contains(429);
        }
        assertThat(visits(HTTP, base, "198.51.100.1", 1)).as("from 127.0.0.1, whose bucket is another").containsExactly(200);
    }

    private static ApiResponse call(String method, AccessMatrixIT.Request request, Fresh caller) {
        if (request.rawBody() != null) {
            return client.send(method, "/api/v1" + request.path(),
                    HttpRequest.BodyPublishers.ofString(request.rawBody(), StandardCharsets.UTF_8), request.contentType(),
                    caller.token(), caller.from(), Duration.ofSeconds(15));
        }
        return send(method, request.path(), request.body(), caller.token(), caller.from());
    }

    /** The room's messages and posts, as its owner sees them (its members grow: each row's user joins). */
    private static List<Integer> counts(Fresh owner, UUID room) {
        return List.of(send("GET", "/rooms/" + room + "/messages?limit=200", null, owner.token(), owner.from()).orThrow().json().get("messages").size(),
                send("GET", "/rooms/" + room + "/posts?sort=new&limit=100", null, owner.token(), owner.from()).orThrow().json().get("posts").size());
    }

    private static List<Integer> visits(HttpClient http, URI base, String forwardedFor, int times) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            var request = HttpRequest.newBuilder(base.resolve("/api/v1/counter")).header("X-Forwarded-For", forwardedFor).build();
            statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }
}
