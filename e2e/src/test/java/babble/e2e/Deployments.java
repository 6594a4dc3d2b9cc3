package babble.e2e;

import java.net.URI;

/**
 * Which Babble the suite runs against: {@code -Dbabble.e2e.baseUrl} names any running deployment; otherwise one
 * is started locally in {@code -Dbabble.e2e.mode} (default all-in-one) and shared by every test class.
 */
public final class Deployments {
    private static Deployment shared;
    private static LocalDeployment failures;
    private static Thread closeFailuresAtExit;
    /** How many {@link UsesFailuresDeployment} classes this run has yet to finish; -1 when not known (no {@link DeploymentOrder}). */
    private static int failureClassesLeft = -1;
    /**
     * The shared deployment's own settings: the diagnostic {@code probe} job kind (failing and slow jobs on
     * demand), quick retries, in all-in-one an embedded MQTT broker on a free port (this machine's Mosquitto
     * holds 1883; the bridge's answer names the port), and in processes mode a canary: quotes v2 beside v1,
     * taking 10% of every caller's calls (CanaryIT; every other test runs with it, as production would), and a presence
     * grace of a second instead of five.
     */
    static final java.util.Map<String, String> SHARED_SETTINGS = java.util.Map.of(
            "BABBLE_JOBS_PROBE", "true",
            "BABBLE_JOBS_RETRY_BASE", "200ms",
            "BABBLE_MQTT_BROKER_PORT", "0",
            "BABBLE_CANARY", "quotes=v2:10",
            "BABBLE_VERSION", "v1", // containers mode: instead of the images' own (their tag), as CanaryIT expects
            "BABBLE_VERSION_EJECT_PROBE_AFTER", "5s",
            "BABBLE_GATEWAY_PRESENCE_GRACE", "1s"); // LiveIT waits for users to go offline

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

    /**
     * The settings of {@link #failures()}: a short job lease, so a killed worker's job moves on in seconds, and
     * export and import rates slow enough that a kill lands mid-job (JobsFailureIT, ImportFailureIT).
     */
    static final java.util.Map<String, String> FAILURE_SETTINGS = java.util.Map.of(
            "BABBLE_JOBS_LEASE", "3s",
            "BABBLE_JOBS_EXPORT_RATE", "400",
            "BABBLE_JOBS_IMPORT_RATE", "1000");

    /**
     * The deployment the failure tests share: they kill, stop and restart its parts, restart PostgreSQL under it,
     * drop a store and restart it whole. One each cost a start and a stop of every process (a minute or more apiece
     * on two cores), so they take turns on this one: each caller gets it whole again, with any part an earlier test
     * stopped or killed started and every part ready. Two gateways in processes mode, one in the all-in-one.
     * Tests never close it: the last {@link UsesFailuresDeployment} class of the run does (or a shutdown hook).
     */
    public static synchronized LocalDeployment failures() {
        if (failures == null) {
            failures = LocalDeployment.start("failures", mode(), mode().equals("all-in-one") ? 1 : 2, FAILURE_SETTINGS);
            closeFailuresAtExit = new Thread(failures::close);
            Runtime.getRuntime().addShutdownHook(closeFailuresAtExit);
        } else {
            failures.startStoppedParts();
        }
        failures.awaitReady(java.time.Duration.ofMinutes(3));
        return failures;
    }

    static synchronized void expectFailureClasses(int count) {
        failureClassesLeft = count;
    }

    /** One class that used {@link #failures()} is done; after the run's last, the deployment is closed. */
    static synchronized void release() {
        if (failureClassesLeft > 0 && --failureClassesLeft == 0 && failures != null) {
            Runtime.getRuntime().removeShutdownHook(closeFailuresAtExit);
            failures.close();
            failures = null;
            System.out.println("The failure tests' deployment is closed: the last class using it is done.");
        }
    }

    /** Registered by {@link UsesFailuresDeployment}: tells {@link #release()} when its class is done. */
    static final class ReleaseFailures implements org.junit.jupiter.api.extension.AfterAllCallback {
        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            release();
        }
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
