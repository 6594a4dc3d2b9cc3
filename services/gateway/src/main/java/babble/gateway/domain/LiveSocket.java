package babble.gateway.domain;

import java.util.UUID;

/** A connected live client as the fan-out sees it: whose it is, and a way to send it frames without waiting. */
public interface LiveSocket {
    UUID userId();

    /** Queues a text frame; never blocks. A socket that falls too far behind is closed instead. */
    void send(String frame);

    boolean isOpen();
}
