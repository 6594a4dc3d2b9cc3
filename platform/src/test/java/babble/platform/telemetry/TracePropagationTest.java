package babble.platform.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.bus.Bus;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trace started by a caller ({@code traceparent}) continues through a service's calls to another and through
 * the events it writes (outbox, relay, the bus adapter under test, consumers of every kind), with the exporter
 * off as by default: the ids are there for logs and calls whether or not spans are exported.
 */
class TracePropagationTest {
    static final Identity CALLER = TestHarness.user("alice");
    static final Map<String, String> traceSeenBy = new ConcurrentHashMap<>();

    /** Writes an event for each POST and answers the trace it ran in; asks "second" for its trace on GET. */
    static final class FirstService implements Service {
        @Override
        public String name() {
            return "first";
        }

        @Override
        public void start(Chassis chassis) {
            var second = chassis.client("second");
            var database = chassis.database();
            var outbox = chassis.outbox();
            chassis.http(r -> {
                r.post("/things/{key}", ctx -> {
                    database.useTransaction(tx -> outbox.add(tx, "thing.written", ctx.pathParam("key"), Map.of()));
                    ctx.result(ServiceTracer.currentTraceId());
                });
                r.get("/second-trace", ctx -> ctx.result(second.send(ServiceRequest.get("/trace", CALLER)).body()));
            });
        }
    }

    /** Answers the trace it serves a request in; records the trace each of its consumers handles an event in. */
    static final class SecondService implements Service {
        @Override
        public String name() {
            return "second";
        }

        @Override
        public void start(Chassis chassis) {
            chassis.http(r -> r.get("/trace", ctx -> ctx.result(ServiceTracer.currentTraceId())));
            chassis.consumeStateless("stateless", "events.thing.>", Bus.StartFrom.NEW,
                    event -> traceSeenBy.put("stateless:" + event.key(), ServiceTracer.currentTraceId()));
            chassis.consume("idempotent", "events.thing.>",
                    (event, tx) -> traceSeenBy.put("idempotent:" + event.key(), ServiceTracer.currentTraceId()));
            chassis.onStop(chassis.bus().listen("events.thing.>",
                    event -> traceSeenBy.put("listener:" + event.key(), ServiceTracer.currentTraceId())));
        }
    }

    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new SecondService(), new FirstService()); // a service after those it calls
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static String newTraceId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static Map<String, String> traceparent(String traceId) {
        return Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    }

    @Test
    void aRequestContinuesTheTraceItsCallerSent() {
        String traceId = newTraceId();

        var reply = harness.call("first", "POST", "/things/k1", null, CALLER, traceparent(traceId));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo(traceId);
    }

    @Test
    void aRequestWithoutTraceparentStartsATraceOfItsOwn() {
        var first = harness.call("first", "POST", "/things/k2", null, CALLER);
        var second = harness.call("first", "POST", "/things/k3", null, CALLER);

        assertThat(first.text()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(second.text());
    }

    @Test
    void aCallToAnotherServiceCarriesTheTrace() {
        String traceId = newTraceId();

        var reply = harness.call("first", "GET", "/second-trace", null, CALLER, traceparent(traceId));

        assertThat(reply.text()).isEqualTo(traceId);
    }

    @Test
    void everyConsumerOfAnEventHandlesItInTheTraceOfTheRequestThatWroteIt() {
        String traceId = newTraceId();

        harness.call("first", "POST", "/things/k4", null, CALLER, traceparent(traceId));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(traceSeenBy)
                .containsEntry("stateless:k4", traceId)
                .containsEntry("idempotent:k4", traceId)
                .containsEntry("listener:k4", traceId));
    }
}
