package babble.platform.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import babble.platform.ServiceDirectory;
import babble.platform.config.Config;
import babble.platform.config.ConfigException;
import babble.platform.identity.Identity;
import babble.platform.identity.IdentityCodec;
import babble.platform.problem.BadRequest;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Two versions of a target over real HTTP: calls split by weight, pins, and a failing version taken out of
 * rotation (with the change reported) and put back once it answers again.
 */
class VersionRoutingTest {
    private static final IdentityCodec CODEC = IdentityCodec.withKey("k".repeat(32));
    private static final VersionEjection QUICK = new VersionEjection(20, 10, 50f, 5, Duration.ofMillis(300));

    private final Version v1 = new Version("v1");
    private final Version v2 = new Version("v2");
    private final List<VersionChange> changes = new CopyOnWriteArrayList<>();
    private ServiceClients clients;

    /** A server that counts its calls and answers 500 while told to fail. */
    private static final class Version {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failing;
        final Javalin server;

        Version(String name) {
            this.name = name;
            this.server = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.routes.get("/hello", ctx -> {
                    calls.incrementAndGet();
                    ctx.status(failing ? 500 : 200).result("{}");
                });
            }).start("127.0.0.1", 0);
        }

        String entry() {
            return name + "@http://127.0.0.1:" + server.port();
        }
    }

    @BeforeEach
    void setUp() {
        MDC.clear();
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        if (clients != null) {
            clients.close();
        }
        v1.server.stop();
        v2.server.stop();
    }

    private ServiceClient client(String weights) {
        var directory = new ServiceDirectory(Config.of(Map.of(
                "BABBLE_TARGET_URL", v1.entry() + "," + v2.entry(),
                "BABBLE_TARGET_WEIGHTS", weights)));
        clients = new ServiceClients(directory, CODEC, Duration.ofSeconds(2), 10, new SimpleMeterRegistry(), "caller",
                QUICK, changes::add);
        return clients.to("target");
    }

    private static int call(ServiceClient client) {
        return client.send(ServiceRequest.get("/hello", Identity.ofService("test"))).status();
    }

    @Test
    void callsSplitByWeightEvenly() {
        var client = client("v1=90,v2=10");
        for (int i = 0; i < 10; i++) {
            call(client);
        }
        assertThat(v2.calls).as("one call in ten, from the first ten").hasValue(1);
        for (int i = 0; i < 90; i++) {
            call(client);
        }
        assertThat(v1.calls).hasValue(90);
        assertThat(v2.calls).hasValue(10);
    }

    @Test
    void aPinnedVersionServesWhateverItsWeightAndThePinTravels() {
        var client = client("v1=1,v2=0");
        for (int i = 0; i < 5; i++) {
            call(client);
        }
        assertThat(v2.calls).as("weight 0: never without a pin").hasValue(0);

        MDC.put(VersionPins.MDC_KEY, VersionPins.parse("other=v9, target=v2"));
        for (int i = 0; i < 5; i++) {
            call(client);
        }
        assertThat(v2.calls).hasValue(5);
        MDC.put(VersionPins.MDC_KEY, "target=v3"); // a version the target does not have: routed as usual
        call(client);
        assertThat(v1.calls).hasValue(6);
    }

    @Test
    void aFailingVersionLeavesTheRotationAndComesBackWhenItAnswersAgain() {
        var client = client("v1=50,v2=50");
        v2.failing = true;
        int failed = 0;
        for (int i = 0; i < 40; i++) {
            failed += call(client) >= 500 ? 1 : 0;
        }
        assertThat(failed).as("five failures in a row take it out").isEqualTo(5);
        assertThat(v2.calls).hasValue(5);
        assertThat(changes).containsExactly(new VersionChange("caller", "target", "v2", false, "5 calls in a row failed"));

        v2.failing = false;
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            call(client);
            return changes.size() == 2;
        });
        assertThat(changes.get(1)).isEqualTo(new VersionChange("caller", "target", "v2", true, "probes succeeded"));
        int before = v2.calls.get();
        for (int i = 0; i < 10; i++) {
            assertThat(call(client)).isEqualTo(200);
        }
        assertThat(v2.calls.get() - before).as("back to its share").isEqualTo(5);
    }

    @Test
    void aVersionFailingOftenButNotInARowLeavesByItsFailureRate() {
        var client = client("v1=50,v2=50");
        for (int i = 0; i < 60 && changes.isEmpty(); i++) {
            v2.failing = v2.calls.get() % 2 == 0; // every other call of v2's fails: half, but never twice in a row
            call(client);
        }
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.inRotation()).isFalse();
            assertThat(change.reason()).matches("\\d+% of the last \\d+ calls failed");
        });
    }

    @Test
    void withEveryVersionOutCallsFailAtOnce() {
        var client = client("v1=50,v2=50");
        v1.failing = true;
        v2.failing = true;
        for (int i = 0; i < 10; i++) {
            assertThat(call(client)).isEqualTo(500);
        }
        assertThat(changes).extracting(VersionChange::version).containsExactlyInAnyOrder("v1", "v2");
        int reached = v1.calls.get() + v2.calls.get();
        assertThatThrownBy(() -> call(client)).isInstanceOf(babble.platform.problem.Unavailable.class)
                .hasMessageContaining("every version is out of rotation");
        assertThat(v1.calls.get() + v2.calls.get()).isEqualTo(reached);
    }

    @Test
    void badSettingsAreRefusedWithTheirNames() {
        var unknown = new ServiceDirectory(Config.of(Map.of("BABBLE_TARGET_URL", "v1@http://a:1",
                "BABBLE_TARGET_WEIGHTS", "v2=10")));
        assertThatThrownBy(() -> unknown.versions("target")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("BABBLE_TARGET_WEIGHTS").hasMessageContaining("v2");
        var missing = new ServiceDirectory(Config.of(Map.of("BABBLE_TARGET_URL", "v1@http://a:1,v2@http://b:1",
                "BABBLE_TARGET_WEIGHTS", "v1=10")));
        assertThatThrownBy(() -> missing.versions("target")).hasMessageContaining("no weight to version 'v2'");
        var zero = new ServiceDirectory(Config.of(Map.of("BABBLE_TARGET_URL", "v1@http://a:1",
                "BABBLE_TARGET_WEIGHTS", "v1=0")));
        assertThatThrownBy(() -> zero.versions("target")).hasMessageContaining("weight 0");
        var badName = new ServiceDirectory(Config.of(Map.of("BABBLE_TARGET_URL", "v 1@http://a:1")));
        assertThatThrownBy(() -> badName.versions("target")).hasMessageContaining("not a version name");

        var plain = new ServiceDirectory(Config.of(Map.of("BABBLE_TARGET_URL", "http://a:1, http://b:1")));
        assertThat(plain.versions("target")).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo(ServiceDirectory.UNNAMED);
            assertThat(v.routes()).hasSize(2);
            assertThat(v.weight()).isEqualTo(1);
        });
    }

    @Test
    void pinsFollowTheirSyntax() {
        assertThat(VersionPins.parse("quotes=v2, bot=1.2.0")).isEqualTo("quotes=v2,bot=1.2.0");
        assertThat(VersionPins.versionFor("quotes=v2,bot=1.2.0", "bot")).isEqualTo("1.2.0");
        assertThat(VersionPins.versionFor("quotes=v2", "quote")).isNull();
        assertThat(VersionPins.parse(null)).isNull();
        for (String bad : List.of("quotes", "quotes=", "=v2", "quotes=v2;bot=v1", "Quotes=v2", "quotes=v2=v3")) {
            assertThatThrownBy(() -> VersionPins.parse(bad)).as(bad).isInstanceOf(BadRequest.class)
                    .hasMessageContaining("Babble-Version");
        }
    }
}
