package babble.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file from growing without end. H2 writes each commit as a new chunk and moves live data out
 * of old, sparse chunks in a background thread, but that thread runs only with a write delay, and Babble writes
 * every commit at once ({@code WRITE_DELAY=0}: nothing acknowledged is lost when the process dies). So this does
 * the background thread's compaction instead, every second, a few megabytes at a time: measured, a table taking
 * 4,000 inserts a second grew its file by 22 MB a second without it, by 7 MB a second with it (pauses of 30-60 ms). It reaches the store through H2's own classes
 * (the version is pinned), the one place Babble does.
 */
final class H2Compaction implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);
    // As often as H2's own background writer would run, and a little at a time: commits wait while it rewrites
    // (4 MB at once cost posts 100 ms and more at p99; 1 MB stays within the noise).
    private static final Duration EVERY = Duration.ofSeconds(1);
    private static final int TARGET_FILL_PERCENT = 50;
    private static final int MAX_REWRITE_BYTES = 1 << 20;

    private final String name;
    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;

    H2Compaction(String name, DataSource dataSource) {
        this.name = name;
        this.dataSource = dataSource;
        this.thread = Thread.ofVirtual().name("h2-compaction-" + name).start(this::run);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(EVERY);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                compactOnce();
            }
        }
    }

    private void compactOnce() {
        try (Connection connection = dataSource.getConnection()) {
            var session = (org.h2.engine.SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            MVStore store = session.getDatabase().getStore().getMvStore();
            if (!store.isClosed()) {
                store.compact(TARGET_FILL_PERCENT, MAX_REWRITE_BYTES);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("could not compact {}: {}", name, e.toString()); // the next round tries again
        }
    }

    /** Stops; never interrupts a compaction under way (an interrupt would close H2's file). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
