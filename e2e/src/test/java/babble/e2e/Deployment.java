package babble.e2e;

import java.net.URI;

/** A running Babble the tests talk to over its public API only. */
public interface Deployment extends AutoCloseable {
    URI baseUrl();

    /** Every gateway of the deployment, {@link #baseUrl()} first (several in processes mode). */
    default java.util.List<URI> gateways() {
        return java.util.List.of(baseUrl());
    }

    /** Whether this harness started it (and so can stop and restart it). */
    boolean isLocal();

    /** Stops every process gracefully and starts them again on the same data. */
    void restart();

    /** Stops one service while the others keep running. */
    void stopService(String name);

    /** Starts a stopped service again. */
    void startService(String name);

    /** Stops and starts one service (others keep running). */
    void restartService(String name);

    @Override
    void close();
}
