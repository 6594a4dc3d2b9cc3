package babble.platform.client;

/**
 * A version of a service taken out of rotation by a caller (its calls failed) or put back (probes succeeded):
 * logged, counted and published by the caller's chassis. {@code caller} is the service that saw it: each caller
 * judges the versions it calls by its own calls.
 */
public record VersionChange(String caller, String service, String version, boolean inRotation, String reason) {
    public static final String EJECTED = "version.ejected";
    public static final String RESTORED = "version.restored";

    public String type() {
        return inRotation ? RESTORED : EJECTED;
    }
}
