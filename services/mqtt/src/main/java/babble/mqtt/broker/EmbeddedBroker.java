package babble.mqtt.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker of the all-in-one mode (Moquette, in memory): on the asked port, or the next free one when
 * that is taken (a machine may run Mosquitto on 1883). Production points the bridge at its own broker instead.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final int PORTS_TO_TRY = 20;

    private final Server server;
    private final String host;
    private final int port;

    private EmbeddedBroker(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    public static EmbeddedBroker start(String host, int wantedPort) {
        int port = firstFreePort(host, wantedPort);
        var properties = new Properties();
        properties.setProperty("host", host);
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("persistence_enabled", "false");
        properties.setProperty("allow_anonymous", "true");
        properties.setProperty("allow_zero_byte_client_id", "true"); // clients such as mosquitto_sub send none
        properties.setProperty("telemetry_enabled", "false");
        properties.setProperty("immediate_buffer_flush", "true");
        properties.setProperty("netty.mqtt.message_size", Integer.toString(256 * 1024));
        var server = new Server();
        try {
            server.startServer(new MemoryConfig(properties));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker on " + host + ":" + port, e);
        }
        if (port != wantedPort) {
            log.info("port {} is taken; the embedded MQTT broker uses {}", wantedPort, port);
        }
        return new EmbeddedBroker(server, host, port);
    }

    public String url() {
        return "tcp://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    private static int firstFreePort(String host, int wanted) {
        if (wanted == 0) {
            return probe(host, 0);
        }
        for (int port = wanted; port < wanted + PORTS_TO_TRY && port <= 65535; port++) {
            try (var socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
                socket.setReuseAddress(true);
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        return probe(host, 0);
    }

    private static int probe(String host, int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded MQTT broker", e);
        }
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
