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
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Timeouts, retries only when safe, and a breaker that stops calling a failing service: the same over the network
 * and into a server in the same JVM.
 */
class ServiceClientTest {

    @Nested
    class OverTheNetwork extends Contract {
        @Override
        ServiceDirectory.Route route(Javalin server) {
            return new ServiceDirectory.Route(URI.create("http://127.0.0.1:" + server.port()), null, "v1");
        }
    }

    @Nested
    class InTheSameJvm extends Contract {
        @Override
        ServiceDirectory.Route route(Javalin server) {
            return new ServiceDirectory.Route(URI.create("http://127.0.0.1:" + server.port()),
                    babble.platform.http.HttpServer.localConnector(server), "v1");
        }
    }

    abstract static class Contract {
        private static final IdentityCodec CODEC = IdentityCodec.withKey("k".repeat(32));
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger failuresLeft = new AtomicInteger();
        private Javalin server;
        private ServiceClients clients;

        @BeforeEach
        void start() {
            server = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.concurrency.useVirtualThreads = true;
                c.jetty.addConnector((jetty, http) -> {
                    var connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
                    connector.setPort(0);
                    return connector;
                });
                c.jetty.addConnector((jetty, http) -> new LocalConnector(jetty, new HttpConnectionFactory(http)));
                c.routes.get("/flaky", ctx -> {
                    calls.incrementAndGet();
                    ctx.status(failuresLeft.getAndDecrement() > 0 ? 503 : 200).result("{\"ok\":true}");
                });
                c.routes.post("/flaky", ctx -> {
                    calls.incrementAndGet();
                    ctx.status(failuresLeft.getAndDecrement() > 0 ? 503 : 200).result("{\"ok\":true}");
                });
                c.routes.post("/broken", ctx -> {
                    calls.incrementAndGet();
                    ctx.status(500).result("{\"broken\":true}");
                });
                c.routes.get("/slow", ctx -> {
                    calls.incrementAndGet();
                    Thread.sleep(3_000);
                    ctx.result("{}");
                });
                c.routes.post("/echo", ctx -> ctx.status(201)
                        .header("X-Echo-Key", ctx.header("Idempotency-Key"))
                        .header("X-Echo-Identity", CODEC.verify(ctx.header(IdentityCodec.HEADER)).orElseThrow().service())
                        .contentType("application/json").result(ctx.bodyAsBytes()));
                c.routes.get("/missing", ctx -> ctx.status(404).contentType("application/problem+json")
                        .result("{\"type\":\"x/not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"nope\"}"));
            }).start(0);
            clients = clientsTo(route(server), Duration.ofMillis(500));
        }

        @AfterEach
        void stop() {
            server.stop();
            clients.close();
        }

        abstract ServiceDirectory.Route route(Javalin server);

        private static ServiceClients clientsTo(ServiceDirectory.Route route, Duration timeout) {
            var directory = new ServiceDirectory(Config.of(Map.of()));
            directory.register("target", route.url(), route.local(), route.version());
            return new ServiceClients(directory, CODEC, timeout, 10, new SimpleMeterRegistry());
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
        void aServiceThatIsDownIsUnavailable() {
            var gone = route(server);
            server.stop();

            try (var down = clientsTo(gone, Duration.ofMillis(500))) {
                assertThatThrownBy(() -> down.to("target").send(ServiceRequest.get("/x", Identity.ofService("test"))))
                        .isInstanceOf(Unavailable.class)
                        .satisfies(e -> assertThat(((Unavailable) e).retryAfterSeconds()).isPositive());
            }
        }

        @Test
        void headersBodiesAndStatusesCrossUnchanged() {
            var response = clients.to("target").send(ServiceRequest.post("/echo", Identity.ofService("test"),
                    Map.of("text", "héllo \u2603")).withHeader("Idempotency-Key", "k-1"));

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.headers().firstValue("X-Echo-Key")).contains("k-1");
            assertThat(response.headers().firstValue("x-echo-identity")).contains("test");
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"héllo \u2603\"}");
        }

        @Test
        void theBreakerOpensAfterRepeatedFailuresAndStopsCalling() {
            var client = clients.to("target");
            for (int i = 0; i < 10; i++) {
                client.send(ServiceRequest.post("/broken", Identity.ofService("test"), Map.of()));
            }
            int before = calls.get();

            assertThatThrownBy(() -> client.send(ServiceRequest.post("/broken", Identity.ofService("test"), Map.of())))
                    .isInstanceOf(Unavailable.class).hasMessageContaining("circuit open");
            assertThat(calls.get()).isEqualTo(before);
        }

        @Test
        void answers503DoNotOpenTheBreakerTheTargetIsThereAndSaysWhenToComeBack() {
            failuresLeft.set(30);
            var client = clients.to("target");
            for (int i = 0; i < 30; i++) { // POST: not retried, each 503 reaches the caller
                assertThat(client.send(ServiceRequest.post("/flaky", Identity.ofService("test"), Map.of())).status()).isEqualTo(503);
            }

            assertThat(client.send(ServiceRequest.post("/flaky", Identity.ofService("test"), Map.of())).status()).isEqualTo(200);
            assertThat(calls.get()).as("every call reached the target").isEqualTo(31);
        }

        @Test
        void aRemoteProblemKeepsItsStatusAndDetail() {
            assertThatThrownBy(() -> clients.to("target").get("/missing", Identity.ofService("test"), Map.class))
                    .isInstanceOf(RemoteProblem.class)
                    .satisfies(e -> assertThat(((RemoteProblem) e).status()).isEqualTo(404))
                    .hasMessage("nope");
        }
    }
}
