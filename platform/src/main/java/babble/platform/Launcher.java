package babble.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a list of services in one JVM, in order (a service's dependencies first), and stops them in reverse.
 * The all-in-one mode is this with every service; a single-service process is this with one.
 */
public final class Launcher implements AutoCloseable {
    private final Infrastructure infrastructure;
    private final List<ServiceHost> hosts;

    private Launcher(Infrastructure infrastructure, List<ServiceHost> hosts) {
        this.infrastructure = infrastructure;
        this.hosts = new java.util.concurrent.CopyOnWriteArrayList<>(hosts);
    }

    public static Launcher start(Infrastructure infrastructure, List<? extends Service> services) throws Exception {
        var started = new ArrayList<ServiceHost>();
        try {
            for (Service service : services) {
                started.add(ServiceHost.start(service, infrastructure));
            }
            return new Launcher(infrastructure, started);
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            infrastructure.close();
            throw e;
        }
    }

    public List<ServiceHost> hosts() {
        return List.copyOf(hosts);
    }

    public Optional<ServiceHost> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public boolean isReady() {
        return hosts.stream().allMatch(ServiceHost::isReady);
    }

    /** Waits until every service reports ready; false if that takes longer than {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!isReady()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops one service (the others keep running), e.g. to show that the rest survives without it. */
    public synchronized boolean stopService(String name) {
        var host = host(name);
        host.ifPresent(h -> {
            h.close();
            hosts.remove(h);
        });
        return host.isPresent();
    }

    /** Starts a service again (after {@link #stopService}); callers find its new address in the directory. */
    public synchronized void startService(Service service) throws Exception {
        if (host(service.name()).isPresent()) {
            return;
        }
        hosts.add(ServiceHost.start(service, infrastructure));
    }

    public Infrastructure infrastructure() {
        return infrastructure;
    }

    @Override
    public void close() {
        for (int i = hosts.size() - 1; i >= 0; i--) {
            hosts.get(i).close();
        }
        hosts.clear();
        infrastructure.close();
    }
}
