package babble.platform;

import babble.platform.bus.Bus;
import babble.platform.bus.InProcessBus;
import babble.platform.config.Config;
import babble.platform.db.Database;
import babble.platform.db.DatabaseSettings;
import babble.platform.identity.IdentityCodec;
import java.time.Duration;

/**
 * What the services in one JVM share: settings, the bus, the identity key and the directory of addresses.
 * Chosen by configuration only ({@code BABBLE_BUS}, {@code BABBLE_STORE}, ...): services never know the mode.
 */
public final class Infrastructure implements AutoCloseable {
    public enum BusKind { IN_PROCESS, NATS }

    private final Config config;
    private final IdentityCodec identityCodec;
    private final ServiceDirectory directory;
    private final Bus bus;

    private Infrastructure(Config config, IdentityCodec identityCodec, ServiceDirectory directory, Bus bus) {
        this.config = config;
        this.identityCodec = identityCodec;
        this.directory = directory;
        this.bus = bus;
    }

    public static Infrastructure create(Config config) {
        String key = config.required("INTERNAL_KEY", "the shared key services sign identities with "
                + "(the launcher generates one; set 32+ random characters when running services yourself)");
        var codec = IdentityCodec.withKey(key);
        BusKind kind = config.choice("BUS", BusKind.IN_PROCESS);
        Bus bus = switch (kind) {
            case IN_PROCESS -> new InProcessBus(Database.open("bus", DatabaseSettings.from(config), null),
                    config.duration("BUS_RETENTION", Duration.ofDays(7)));
            case NATS -> throw new babble.platform.config.ConfigException("BABBLE_BUS=nats is not available yet");
        };
        return new Infrastructure(config, codec, new ServiceDirectory(config), bus);
    }

    public Config config() {
        return config;
    }

    public IdentityCodec identityCodec() {
        return identityCodec;
    }

    public ServiceDirectory directory() {
        return directory;
    }

    public Bus bus() {
        return bus;
    }

    @Override
    public void close() {
        bus.close();
    }
}
