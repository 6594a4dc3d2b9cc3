package babble.e2e;

import babble.client.LocalBabble;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** A Babble this suite starts itself (in the mode under test), which it can restart and disturb. */
public final class LocalDeployment implements Deployment {
    private final LocalBabble babble;
    private final int gateways;

    private LocalDeployment(LocalBabble babble, int gateways) {
        this.babble = babble;
        this.gateways = gateways;
    }

    public static LocalDeployment start(String name, String mode) {
        return start(name, mode, 1, Map.of());
    }

    /** A deployment with {@code gateways} gateways and extra BABBLE_* settings (such as a NATS of its own). */
    public static LocalDeployment start(String name, String mode, int gateways, Map<String, String> environment) {
        Path root = Path.of(System.getProperty("babble.root", "..")).toAbsolutePath().normalize();
        Path logs = Path.of(System.getProperty("babble.e2e.logs", "target/deployments"));
        return new LocalDeployment(LocalBabble.start(new LocalBabble.Options(name, mode, gateways, environment, root, logs)),
                gateways);
    }

    @Override
    public URI baseUrl() {
        return babble.baseUrl();
    }

    public URI gatewayUrl(int n) {
        return babble.gatewayUrl(n);
    }

    @Override
    public java.util.List<URI> gateways() {
        return java.util.stream.IntStream.rangeClosed(1, gateways).mapToObj(babble::gatewayUrl).toList();
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public void restart() {
        babble.restart();
    }

    @Override
    public void stopService(String name) {
        babble.console("stop " + name);
    }

    @Override
    public void startService(String name) {
        babble.console("start " + name);
    }

    @Override
    public void restartService(String name) {
        babble.console("restart " + name);
    }

    /** Types a command into the running launcher ({@code kill messages}, {@code status}). */
    public String console(String command) {
        return babble.console(command);
    }

    @Override
    public void close() {
        babble.close();
    }
}
