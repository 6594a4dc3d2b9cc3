package babble.e2e;

import java.net.URI;

/**
 * Which Babble the suite runs against: {@code -Dbabble.e2e.baseUrl} names any running deployment; otherwise one
 * is started locally in {@code -Dbabble.e2e.mode} (default all-in-one) and shared by every test class.
 */
public final class Deployments {
    private static Deployment shared;
    /**
     * The shared deployment's own settings: the diagnostic {@code probe} job kind (failing and slow jobs on
     * demand), quick retries, in all-in-one an embedded MQTT broker on a free port (this machine's Mosquitto
     * holds 1883; the bridge's answer names the port), and in processes mode a canary: quotes v2 beside v1,
     * taking 10% of every caller's calls (CanaryIT; every other test runs with it, as production would).
     */
    static final java.util.Map<String, String> SHARED_SETTINGS = java.util.Map.of(
            "BABBLE_JOBS_PROBE", "true",
            "BABBLE_JOBS_RETRY_BASE", "200ms",
            "BABBLE_MQTT_BROKER_PORT", "0",
            "BABBLE_CANARY", "quotes=v2:10",
            "BABBLE_VERSION", "v1", // containers mode: instead of the images' own (their tag), as CanaryIT expects
            "BABBLE_VERSION_EJECT_PROBE_AFTER", "5s");

    private Deployments() {
    }

    public static synchronized Deployment shared() {
        if (shared == null) {
            String url = System.getProperty("babble.e2e.baseUrl", "");
            if (!url.isBlank()) {
                var others = System.getProperty("babble.e2e.otherGatewayUrls", "");
                var all = new java.util.ArrayList<URI>(java.util.List.of(URI.create(url)));
                for (String other : others.split(",")) {
                    if (!other.isBlank()) {
                        all.add(URI.create(other.strip()));
                    }
                }
                shared = new External(all);
            } else {
                // Processes and containers run two gateways, as production would, so tests can cross between them.
                var local = LocalDeployment.start("shared", mode(), mode().equals("all-in-one") ? 1 : 2, SHARED_SETTINGS);
                Runtime.getRuntime().addShutdownHook(new Thread(local::close));
                shared = local;
            }
        }
        return shared;
    }

    /** A deployment of its own, for tests that stop and restart it. */
    public static LocalDeployment fresh(String name) {
        return LocalDeployment.start(name, mode());
    }

    public static String mode() {
        return System.getProperty("babble.e2e.mode", "all-in-one");
    }

    private record External(java.util.List<URI> gateways) implements Deployment {
        @Override
        public URI baseUrl() {
            return gateways.getFirst();
        }

        @Override
        public boolean isLocal() {
            return false;
        }

        @Override
        public void restart() {
            throw new UnsupportedOperationException("cannot restart a deployment this suite did not start");
        }

        @Override
        public void stopService(String name) {
            throw new UnsupportedOperationException("cannot control a deployment this suite did not start");
        }

        @Override
        public void startService(String name) {
            stopService(name);
        }

        @Override
        public void restartService(String name) {
            stopService(name);
        }

        @Override
        public void close() {
        }
    }
}
