package babble.app;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** A deployment of one part per process or container (processes and containers mode), as `up` drives it. */
interface Cluster extends Controls, AutoCloseable {
    void startAll() throws IOException;

    /** Waits until every part answers ready; false after {@code timeout}. */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    List<Integer> gatewayPorts();

    int size();

    @Override
    void close();
}
