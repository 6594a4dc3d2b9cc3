package babble.platform.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1 connection whose request headers take longer than the deadline: the slow-loris client, which
 * sends a header line every few seconds so the idle timeout never fires and holds a connection for hours. Jetty
 * has no header deadline of its own (Apache's {@code RequestReadTimeout header=} is the model).
 *
 * <p>Each connection is looked at every {@code deadline}; one found twice in a row in the same request's headers
 * (its parser past the start, the count of requests unchanged) is closed. So headers may take between one and two
 * deadlines. A request's body is not judged here (the idle timeout and the body limits bound it), nor is a
 * connection between requests, nor one upgraded to a WebSocket. The checks read the parser's state from the
 * scheduler's thread without its lock: a stale read can only delay a close by one more look.
 */
final class HeaderDeadline implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

    private final long deadlineMillis;
    private final Scheduler scheduler;
    private final Counter closed;

    HeaderDeadline(Duration deadline, Scheduler scheduler, MeterRegistry meters) {
        this.deadlineMillis = deadline.toMillis();
        this.scheduler = scheduler;
        this.closed = Counter.builder("babble.http.slow.headers.closed")
                .description("Connections closed because their request headers took longer than the deadline")
                .register(meters);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            new Watch(http).next();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        // the watch sees the closed endpoint at its next look and stops
    }

    private final class Watch implements Runnable {
        private final HttpConnection http;
        /** The request count when its headers were last seen in progress; -1 when they were not. */
        private long inHeadersAt = -1;

        Watch(HttpConnection http) {
            this.http = http;
        }

        void next() {
            scheduler.schedule(this, deadlineMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            var endpoint = http.getEndPoint();
            if (!endpoint.isOpen() || endpoint.getConnection() != http) {
                return; // closed, or upgraded (a WebSocket has its own heartbeat and limits)
            }
            var parser = http.getParser();
            boolean inHeaders = !parser.isStart() && parser.inHeaderState();
            long requests = http.getMessagesIn();
            if (inHeaders && inHeadersAt == requests) {
                closed.increment();
                log.debug("closing {}: its request headers took over {} ms", endpoint.getRemoteSocketAddress(), deadlineMillis);
                http.close();
                return;
            }
            inHeadersAt = inHeaders ? requests : -1;
            next();
        }
    }
}
