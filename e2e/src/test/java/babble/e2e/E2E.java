package babble.e2e;

import babble.client.BabbleClient;
import babble.client.UserSession;
import java.util.UUID;

/** What every end-to-end test class starts from: a client of the deployment, and fresh users. */
abstract class E2E {
    static final String PASSWORD = "correct horse battery";

    protected final BabbleClient client = new BabbleClient(Deployments.shared().baseUrl());

    /** A new user with a unique name ({@code prefix} + random letters), signed in. */
    protected UserSession newUser(String prefix) {
        return client.signUp(uniqueName(prefix), PASSWORD);
    }

    protected static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
