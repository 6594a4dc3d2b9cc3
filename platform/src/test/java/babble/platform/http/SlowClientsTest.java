package babble.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.identity.IdentityCodec;
import babble.platform.testing.TestHarness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients over a real socket, with a 400 ms header deadline: a slow-loris client (headers that never end) is
 * cut off; clients that are only slow between requests or in their body are served.
 */
class SlowClientsTest {
    private static final long DEADLINE_MS = 400;

    static final class EchoService implements Service {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public void start(Chassis chassis) {
            chassis.http(r -> r.post("/echo", ctx -> ctx.result(ctx.bodyAsBytes())));
        }
    }

    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(Map.of("BABBLE_HEADER_DEADLINE", DEADLINE_MS + "ms"), new EchoService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Socket connect() throws IOException {
        var url = harness.url("slow");
        var socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one answer's status line and headers, and its body by Content-Length. */
    private static String answer(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        var length = head.toString().lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
        return head.toString().lines().findFirst().orElseThrow() + "\n" + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static boolean closedByServer(InputStream in) {
        try {
            return in.read() == -1;
        } catch (SocketException e) { // reset
            return true;
        } catch (IOException e) {
            return false; // the read timed out: still open
        }
    }

    @Test
    void aClientWhoseHeadersNeverEndIsCutOffWithinTwoDeadlines() throws Exception {
        try (var socket = connect()) {
            var out = socket.getOutputStream();
            send(out, "GET /health HTTP/1.1\r\nHost: babble\r\n");
            long started = System.nanoTime();
            boolean cutOff = false;
            // A header line every 100 ms: each resets the idle timeout, as a slow-loris client's do.
            for (int i = 0; i < 60 && !cutOff; i++) {
                Thread.sleep(100);
                try {
                    send(out, "X-Slow-" + i + ": still here\r\n");
                } catch (SocketException e) {
                    cutOff = true;
                }
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertThat(cutOff || closedByServer(socket.getInputStream())).as("cut off").isTrue();
            assertThat(ms).as("cut off within two deadlines and a margin").isLessThan(2 * DEADLINE_MS + 1_500);
        }
    }

    @Test
    void headersSentSlowlyButWithinTheDeadlineAreServed() throws Exception {
        try (var socket = connect()) {
            var out = socket.getOutputStream();
            send(out, "GET /health HTTP/1.1\r\n");
            Thread.sleep(DEADLINE_MS / 4);
            send(out, "Host: babble\r\n");
            Thread.sleep(DEADLINE_MS / 4);
            send(out, "\r\n");

            assertThat(answer(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aKeptAliveConnectionIdleBetweenRequestsIsNotCutOff() throws Exception {
        try (var socket = connect()) {
            var out = socket.getOutputStream();
            var in = socket.getInputStream();
            send(out, "GET /health HTTP/1.1\r\nHost: babble\r\n\r\n");
            assertThat(answer(in)).startsWith("HTTP/1.1 200");

            Thread.sleep(5 * DEADLINE_MS);

            send(out, "GET /health HTTP/1.1\r\nHost: babble\r\n\r\n");
            assertThat(answer(in)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aBodyThatArrivesSlowlyIsNotJudgedByTheHeaderDeadline() throws Exception {
        String identity = harness.codec().sign(TestHarness.user("slowpoke"));
        byte[] body = "x".repeat(1_000).getBytes(StandardCharsets.US_ASCII);
        try (var socket = connect()) {
            var out = socket.getOutputStream();
            send(out, "POST /echo HTTP/1.1\r\nHost: babble\r\nContent-Type: text/plain\r\n" + IdentityCodec.HEADER + ": "
                    + identity + "\r\nContent-Length: " + body.length + "\r\n\r\n");
            for (int i = 0; i < 10; i++) { // over 4 deadlines
                out.write(body, i * 100, 100);
                out.flush();
                Thread.sleep(DEADLINE_MS / 2);
            }

            String answer = answer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(answer).endsWith("x".repeat(1_000));
        }
    }

    @Test
    void pastTheConnectionLimitANewClientWaitsUntilAnotherLeaves() throws Exception {
        try (var limited = TestHarness.start(Map.of("BABBLE_MAX_CONNECTIONS", "16"), new EchoService())) {
            var url = limited.url("slow");
            var held = new java.util.ArrayList<Socket>();
            try {
                Socket waiting = null;
                while (waiting == null && held.size() <= 16) { // the harness may hold a connection of its own
                    var socket = new Socket(url.getHost(), url.getPort()); // past the limit, the kernel queues it
                    socket.setSoTimeout(1_000);
                    send(socket.getOutputStream(), "GET /health HTTP/1.1\r\nHost: babble\r\n\r\n");
                    try {
                        answer(socket.getInputStream());
                        held.add(socket);
                    } catch (java.net.SocketTimeoutException e) {
                        waiting = socket;
                    }
                }
                assertThat(waiting).as("a connection past the limit waits").isNotNull();
                assertThat(held.size()).isBetween(14, 16);

                held.removeFirst().close();

                waiting.setSoTimeout(10_000);
                assertThat(answer(waiting.getInputStream())).startsWith("HTTP/1.1 200");
                held.add(waiting);
            } finally {
                for (var socket : held) {
                    socket.close();
                }
            }
        }
    }
}
