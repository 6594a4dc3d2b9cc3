package babble.platform.client;

import babble.platform.problem.BadRequest;
import java.util.regex.Pattern;

/**
 * The {@code Babble-Version: <service>=<version>[,<service>=<version>...]} request header: pins the version of a
 * service that serves the request, at whatever hop the request reaches that service. It travels with the request
 * (in the MDC on the way through a service, as a header on every call it makes).
 */
public final class VersionPins {
    public static final String HEADER = "Babble-Version";
    public static final String MDC_KEY = "version_pins";
    private static final Pattern PINS =
            Pattern.compile("[a-z][a-z0-9-]{0,31}=[A-Za-z0-9._-]{1,32}(,[a-z][a-z0-9-]{0,31}=[A-Za-z0-9._-]{1,32}){0,15}");

    private VersionPins() {
    }

    /** The header without spaces, or null when absent; 400 when it does not follow the syntax. */
    public static String parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String pins = header.replace(" ", "");
        if (!PINS.matcher(pins).matches()) {
            throw new BadRequest(HEADER + " must look like quotes=v2 (service=version, comma-separated), got '"
                    + (header.length() > 100 ? header.substring(0, 100) + "…" : header) + "'");
        }
        return pins;
    }

    /** The version {@code pins} names for {@code service}, or null. */
    public static String versionFor(String pins, String service) {
        if (pins == null) {
            return null;
        }
        for (String pin : pins.split(",")) {
            int eq = pin.indexOf('=');
            if (pin.regionMatches(0, service, 0, eq) && eq == service.length()) {
                return pin.substring(eq + 1);
            }
        }
        return null;
    }
}
