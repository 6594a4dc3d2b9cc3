package babble.platform.client;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.ServiceDirectory;
import babble.platform.config.Config;
import babble.platform.identity.Identity;
import babble.platform.identity.IdentityCodec;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of one target over real HTTP: calls go round them, or, from a client sticky by user, each user's
 * calls go to one replica (the same from every caller) and to the other while that one is down.
 */
class ReplicaRoutingTest {
    private static final IdentityCodec CODEC = IdentityCodec.withKey("k".repeat(32));

    private final List<Javalin> replicas = List.of(replica("a"), replica("b"));
    private final List<ServiceClients> clients = new java.util.ArrayList<>();

    private static Javalin replica(String name) {
        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.get("/who", ctx -> ctx.result(name));
        }).start("127.0.0.1", 0);
    }

    @BeforeEach
    void setUp() {
        org.slf4j.MDC.clear();
    }

    @AfterEach
    void tearDown() {
        clients.forEach(ServiceClients::close);
        replicas.forEach(Javalin::stop);
    }

    /** A new caller's client of the target (each with its own connections, breaker and turn). */
    private ServiceClient caller() {
        var directory = new ServiceDirectory(Config.of(Map.of("BABBLE_TARGET_URL",
                "http://127.0.0.1:" + replicas.get(0).port() + ",http://127.0.0.1:" + replicas.get(1).port())));
        var made = new ServiceClients(directory, CODEC, Duration.ofSeconds(2), 10, new SimpleMeterRegistry(), "caller",
                VersionEjection.DEFAULT, change -> { });
        clients.add(made);
        return made.to("target");
    }

    private static String who(ServiceClient client, Identity as) {
        var response = client.send(ServiceRequest.get("/who", as));
        assertThat(response.status()).isEqualTo(200);
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Identity user(int n) {
        return Identity.ofUser("test", new UUID(0, n), "user" + n, "User " + n);
    }

    @Test
    void callsGoRoundTheReplicas() {
        var client = caller();
        var answers = new HashMap<String, Integer>();
        for (int i = 0; i < 10; i++) {
            answers.merge(who(client, user(1)), 1, Integer::sum);
        }
        assertThat(answers).isEqualTo(Map.of("a", 5, "b", 5));
    }

    @Test
    void aStickyClientSendsEachUserToOneReplicaTheSameInEveryCaller() {
        var first = caller().stickyByUser();
        var second = caller().stickyByUser();
        var used = new HashSet<String>();
        for (int n = 0; n < 20; n++) {
            String replica = who(first, user(n));
            for (int i = 0; i < 4; i++) {
                assertThat(who(first, user(n))).as("user %d, again", n).isEqualTo(replica);
                assertThat(who(second, user(n))).as("user %d, from another caller", n).isEqualTo(replica);
            }
            used.add(replica);
        }
        assertThat(used).as("users spread over both replicas").isEqualTo(Set.of("a", "b"));

        var withoutUser = new HashSet<String>();
        for (int i = 0; i < 2; i++) {
            withoutUser.add(who(first, Identity.ofService("test")));
        }
        assertThat(withoutUser).as("a call without a user goes round").isEqualTo(Set.of("a", "b"));
    }

    @Test
    void aUsersCallsGoToTheOtherReplicaWhileTheirsIsDown() {
        var client = caller().stickyByUser();
        String home = who(client, user(7));
        int homeIndex = home.equals("a") ? 0 : 1;
        int port = replicas.get(homeIndex).port();
        replicas.get(homeIndex).stop();
        for (int i = 0; i < 4; i++) {
            assertThat(who(client, user(7))).as("while %s is down", home).isNotEqualTo(home);
        }
        var restarted = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.get("/who", ctx -> ctx.result(home));
        }).start("127.0.0.1", port);
        try {
            assertThat(who(client, user(7))).as("back on its own replica").isEqualTo(home);
        } finally {
            restarted.stop();
        }
    }
}
