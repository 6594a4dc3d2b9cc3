package babble.platform.bus;

import babble.platform.Namespace;
import babble.platform.testing.TestServers;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The NATS JetStream adapter against the machine's real NATS server (BABBLE_NATS_URL), in a namespace of its own. */
class NatsBusTest extends BusContract {
    private String namespace;

    @Override
    protected Bus open() {
        namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return reopen();
    }

    @Override
    protected Bus reopen() {
        return NatsBus.connect(TestServers.natsUrl(), namespace, "test", Duration.ofHours(1), Duration.ofSeconds(5));
    }

    @AfterEach
    void dropStreams() {
        bus.close(); // first, so its consumers do not see their streams vanish (this runs before the contract's)
        Namespace.dropStreams(TestServers.natsUrl(), namespace);
    }
}
