package babble.platform.http;

import babble.platform.config.ConfigException;
import babble.platform.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fault switch ({@code BABBLE_FAULTS}): makes a share of the requests to a path fail on purpose, so tests can
 * watch what callers do with a version that fails (a canary taken out of rotation). Off unless set; the
 * syntax is {@code /path/prefix=STATUS:SHARE}, comma-separated, e.g. {@code /api/v1/quotes=500:1.0}.
 */
public record Faults(List<Fault> faults) {
    public static final Faults NONE = new Faults(List.of());

    /** Requests whose path starts with {@code pathPrefix} answer {@code status}, a {@code share} (0 to 1) of them. */
    public record Fault(String pathPrefix, int status, double share) {
    }

    public static Faults parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        var faults = new ArrayList<Fault>();
        for (String entry : setting.split(",")) {
            String item = entry.strip();
            int eq = item.lastIndexOf('=');
            int colon = item.lastIndexOf(':');
            try {
                if (!item.startsWith("/") || eq < 0 || colon < eq) {
                    throw new IllegalArgumentException();
                }
                int status = Integer.parseInt(item.substring(eq + 1, colon));
                double share = Double.parseDouble(item.substring(colon + 1));
                if (status < 400 || status > 599 || !(share >= 0 && share <= 1)) {
                    throw new IllegalArgumentException();
                }
                faults.add(new Fault(item.substring(0, eq), status, share));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("BABBLE_FAULTS must look like /api/v1/quotes=500:0.5 (a path prefix, a status "
                        + "from 400 to 599, a share from 0 to 1; comma-separated), got '" + setting + "'");
            }
        }
        return new Faults(List.copyOf(faults));
    }

    /** Throws the fault a request to {@code path} draws, if any. */
    void apply(String path) {
        for (Fault fault : faults) {
            if (path.startsWith(fault.pathPrefix()) && ThreadLocalRandom.current().nextDouble() < fault.share()) {
                throw new Problem(fault.status(), "injected-fault", "Injected fault",
                        "this request failed on purpose (BABBLE_FAULTS)");
            }
        }
    }
}
