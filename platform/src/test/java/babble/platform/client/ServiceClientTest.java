package babble.platform.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.platform.ServiceDirectory;
import babble.platform.config.Config;
import babble.platform.identity.Identity;
import babble.platform.identity.IdentityCodec;
import babble.platform.problem.RemoteProblem;
import babble.platform.problem.Unavailable;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timeouts, retries only when safe, and a breaker that stops calling a failing service. */
class ServiceClientTest {
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private Javalin server;
    private ServiceClients clients;

    @BeforeEach
    void start() {
        server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.get("/flaky", ctx -> {
                calls.incrementAndGet();
                ctx.status(failuresLeft.getAndDecrement() > 0 ? 503 : 200).result("{\"ok\":true}");
            });
            c.routes.post("/flaky", ctx -> {
                calls.incrementAndGet();
                ctx.status(failuresLeft.getAndDecrement() > 0 ? 503 : 200).result("{\"ok\":true}");
            });
            c.routes.get("/slow", ctx -> {
                calls.incrementAndGet();
                Thread.sleep(3_000);
                ctx.result("{}");
            });
            c.routes.get("/missing", ctx -> ctx.status(404).contentType("application/problem+json")
                    .result("{\"type\":\"x/not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"nope\"}"));
        }).start(0);
        clients = clientsTo(URI.create("http://127.0.0.1:" + server.port()), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        server.stop();
        clients.close();
    }

    private static ServiceClients clientsTo(URI url, Duration timeout) {
        var directory = new ServiceDirectory(Config.of(Map.of()));
        directory.register("target", url);
        return new ServiceClients(directory, IdentityCodec.withKey("k".repeat(32)), timeout, 10, new SimpleMeterRegistry());
    }

    @Test
    void aFailedGetIsRetriedWithBackoff() {
        failuresLeft.set(2);

        var response = clients.to("target").send(ServiceRequest.get("/flaky", Identity.ofService("test")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNotRetried() {
        failuresLeft.set(1);

        var response = clients.to("target").send(ServiceRequest.post("/flaky", Identity.ofService("test"), Map.of()));

        assertThat(response.status()).isEqualTo(503);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aPostMarkedIdempotentIsRetried() {
        failuresLeft.set(1);

        var response = clients.to("target").send(ServiceRequest.post("/flaky", Identity.ofService("test"), Map.of()).idempotent());

        assertThat(response.status()).isEqualTo(200);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aSlowServiceIsUnavailableAfterTheTimeoutNotAHang() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> clients.to("target").send(ServiceRequest.get("/slow", Identity.ofService("test"))))
                .isInstanceOf(Unavailable.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_900));
    }

    @Test
    void aServiceThatIsDownIsUnavailable() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var down = clientsTo(URI.create("http://127.0.0.1:" + closedPort), Duration.ofMillis(500))) {
            assertThatThrownBy(() -> down.to("target").send(ServiceRequest.get("/x", Identity.ofService("test"))))
                    .isInstanceOf(Unavailable.class)
                    .satisfies(e -> assertThat(((Unavailable) e).retryAfterSeconds()).isPositive());
        }
    }

    @Test
    void theBreakerOpensAfterRepeatedFailuresAndStopsCalling() {
        failuresLeft.set(1_000);
        var client = clients.to("target");
        for (int i = 0; i < 10; i++) {
            client.send(ServiceRequest.post("/flaky", Identity.ofService("test"), Map.of()));
        }
        int before = calls.get();

        assertThatThrownBy(() -> client.send(ServiceRequest.post("/flaky", Identity.ofService("test"), Map.of())))
                .isInstanceOf(Unavailable.class).hasMessageContaining("circuit open");
        assertThat(calls.get()).isEqualTo(before);
    }

    @Test
    void aRemoteProblemKeepsItsStatusAndDetail() {
        assertThatThrownBy(() -> clients.to("target").get("/missing", Identity.ofService("test"), Map.class))
                .isInstanceOf(RemoteProblem.class)
                .satisfies(e -> assertThat(((RemoteProblem) e).status()).isEqualTo(404))
                .hasMessage("nope");
    }
}
