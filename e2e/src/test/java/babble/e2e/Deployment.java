package babble.e2e;

import java.net.URI;

/** A running Babble the tests talk to over its public API only. */
public interface Deployment extends AutoCloseable {
    URI baseUrl();

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
