package babble.platform.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness of one service. Live means the process answers; ready means it has started
 * (migrations ran, routes registered) and every dependency check passes right now.
 */
public final class Health {
    private static final Logger log = LoggerFactory.getLogger(Health.class);

    private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();
    private final Map<String, Boolean> lastResults = new ConcurrentHashMap<>();
    private final java.util.Set<String> optional = ConcurrentHashMap.newKeySet();
    private volatile boolean started;
    private volatile boolean stopping;

    /** Adds a readiness check, such as "database reachable". Checks must answer within about a second. */
    public void check(String name, BooleanSupplier check) {
        checks.put(name, check);
    }

    /**
     * Adds a check of an optional dependency (an MQTT broker, say): reported like the others, but the service
     * stays ready while it is down, because it goes on doing everything else.
     */
    public void optional(String name, BooleanSupplier check) {
        optional.add(name);
        checks.put(name, check);
    }

    public void markStarted() {
        started = true;
    }

    /** From now on the service reports not ready, so load balancers stop sending it work. */
    public void markStopping() {
        stopping = true;
    }

    public Report ready() {
        var results = new LinkedHashMap<String, String>();
        boolean ok = started && !stopping;
        results.put("started", started ? "up" : "down");
        for (var entry : Map.copyOf(checks).entrySet()) {
            boolean up;
            try {
                up = entry.getValue().getAsBoolean();
            } catch (RuntimeException e) {
                up = false;
            }
            Boolean before = lastResults.put(entry.getKey(), up);
            if (before != null && before != up) {
                log.atWarn().addKeyValue("check", entry.getKey()).addKeyValue("up", up).log("readiness check {} is now {}",
                        entry.getKey(), up ? "up" : "down");
            }
            boolean required = !optional.contains(entry.getKey());
            results.put(entry.getKey(), up ? "up" : required ? "down" : "down (optional)");
            ok &= up || !required;
        }
        return new Report(ok ? "up" : "down", results);
    }

    public boolean isReady() {
        return ready().isUp();
    }

    public Report live() {
        return new Report("up", Map.of());
    }

    public record Report(String status, Map<String, String> checks) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isUp() {
            return "up".equals(status);
        }
    }
}
