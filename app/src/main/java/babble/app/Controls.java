package babble.app;

import java.util.List;

/** What an operator can do to a running deployment, whatever its mode (the console's verbs). */
interface Controls {
    /** Every part that runs (a service, or a process such as gateway-2), and whether it is ready. */
    List<String> status();

    void stop(String name) throws Exception;

    /** Ends a part abruptly (kill -9 in processes mode; the same as stop in one JVM). */
    void kill(String name) throws Exception;

    void start(String name) throws Exception;

    /** Empties a stopped service's database, so that its next start builds its store afresh. */
    void wipeStore(String name) throws Exception;

    /**
     * Restarts a part with one setting changed ({@code set quotes-v2 BABBLE_FAULTS=/api/v1/quotes=500:1.0}; an empty
     * value drops the change). Processes mode only: the services of one JVM share their settings.
     */
    void set(String name, String key, String value) throws Exception;

    /** The names the verbs accept. */
    List<String> names();
}
