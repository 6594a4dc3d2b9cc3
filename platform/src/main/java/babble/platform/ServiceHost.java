package babble.platform;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running service: its chassis, its address, whether it is ready, and how to stop it. */
public final class ServiceHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);

    private final Service service;
    private final Chassis chassis;
    private final URI url;

    private ServiceHost(Service service, Chassis chassis, URI url) {
        this.service = service;
        this.chassis = chassis;
        this.url = url;
    }

    /** Wires the service, starts serving, and registers its address in the directory. */
    public static ServiceHost start(Service service, Infrastructure infrastructure) throws Exception {
        Instant began = Instant.now();
        var chassis = new Chassis(service.name(), infrastructure);
        try {
            service.start(chassis);
            URI url = chassis.startServing();
            infrastructure.directory().register(service.name(), url, chassis.localConnector(), chassis.version());
            log.atInfo().addKeyValue("service", service.name()).addKeyValue("url", url)
                    .addKeyValue("ms", Duration.between(began, Instant.now()).toMillis())
                    .log("{} started at {}", service.name(), url);
            return new ServiceHost(service, chassis, url);
        } catch (Exception | Error e) {
            chassis.stop();
            throw e;
        }
    }

    public String name() {
        return service.name();
    }

    public URI url() {
        return url;
    }

    public int port() {
        return chassis.port();
    }

    public boolean isReady() {
        return chassis.health().isReady();
    }

    public Chassis chassis() {
        return chassis;
    }

    @Override
    public void close() {
        chassis.stop();
        log.info("{} stopped", service.name());
    }
}
