package babble.e2e;

import babble.client.BabbleClient;
import babble.client.UserSession;
import java.util.UUID;

/** What every end-to-end test class starts from: a client of the deployment, and fresh users. */
abstract class E2E {
    static final String PASSWORD = "correct horse battery";

    protected final Deployment deployment = Deployments.shared();
    protected final BabbleClient client = new BabbleClient(deployment.baseUrl());
    protected static final java.net.http.HttpClient SOCKETS = java.net.http.HttpClient.newHttpClient();

    /** A new user with a unique name ({@code prefix} + random letters), signed in. */
    protected UserSession newUser(String prefix) {
        return client.signUp(uniqueName(prefix), PASSWORD);
    }

    /** A live socket of {@code user}, authenticated (its welcome frame already read). */
    protected babble.client.LiveClient live(UserSession user) {
        var socket = babble.client.LiveClient.connect(SOCKETS, deployment.baseUrl(), user.token());
        socket.awaitType("welcome", java.time.Duration.ofSeconds(5));
        return socket;
    }

    protected static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * A setup call tried again while it answers 503: a deployment that has just said it is ready may still be too
     * cold (JIT, first connections) to answer within the gateway's timeout, and clients retry a 503. Not for calls
     * under test.
     */
    static babble.client.ApiResponse whenAvailable(java.util.function.Supplier<babble.client.ApiResponse> call) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofSeconds(1)).pollDelay(java.time.Duration.ZERO)
                .until(call::get, r -> r.status() != 503);
    }

    /** What a failure test observed, printed at its end as one line: {@code FAILURE TEST <test>: key=value ...}. */
    static void reportFailureTest(String test, java.util.Map<String, Object> figures) {
        var line = new StringBuilder("FAILURE TEST ").append(test).append(':');
        figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }
}
