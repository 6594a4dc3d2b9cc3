package babble.bench.scenarios;

import babble.bench.Latency;
import babble.bench.Machine;
import babble.bench.OpenLoop;
import babble.bench.Target;
import babble.client.LiveClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The live scenarios: fan-out to many sockets, idle sockets' memory, the bot's round trip, a reconnect storm. */
public final class Live {
    private Live() {
    }

    /** One fan-out run; {@code socketsClosed} counts sockets the server closed while it ran (none should be). */
    public record FanOut(int rooms, int socketsPerRoom, double postsPerSecond, double deliveriesPerSecond,
                         double deliveriesPerCpuSecond, long expected, long delivered, int socketsClosed, Latency latency) {
    }

    /** Idle sockets' cost: live heap after a collection (what is retained), and resident memory, before and after. */
    public record IdleSockets(int sockets, double heapBeforeMiB, double heapAfterMiB, double heapKibPerSocket,
                              double rssBeforeMiB, double rssAfterMiB, double rssKibPerSocket) {
    }

    public record Reconnect(int clients, int missedEach, double allCaughtUpMs, Latency latency) {
    }

    /** Something that posts a text into a room and answers whether it was accepted. */
    @FunctionalInterface
    public interface Poster {
        java.util.concurrent.CompletableFuture<Boolean> post(UUID room, String text, int index);
    }

    /** A way to open a socket subscribed to one room that hands every frame to a consumer. */
    @FunctionalInterface
    public interface SocketOpener {
        AutoCloseable open(int index, UUID room, Consumer<JsonNode> onFrame, CountDownLatch subscribed);
    }

    /**
     * R rooms × M sockets; posts at a fixed rate, round-robin over the rooms, each carrying its send time. Latency
     * runs from the scheduled post to receipt on each socket; deliveries per CPU-second count the server's CPU.
     */
    public static FanOut fanOut(List<UUID> rooms, int socketsPerRoom, double postsPerSecond, Duration duration,
                                SocketOpener opener, Poster poster, java.util.function.Supplier<List<ProcessHandle>> servers)
            throws Exception {
        var recorder = Latency.recorder();
        var delivered = new AtomicLong();
        var subscribed = new CountDownLatch(rooms.size() * socketsPerRoom);
        var open = new ArrayList<AutoCloseable>();
        Consumer<JsonNode> onFrame = frame -> {
            JsonNode message = frame.get("message");
            if (message != null) {
                String text = message.path("text").asText("");
                if (text.startsWith("fanout ")) {
                    long sent = Long.parseLong(text.substring(7));
                    recorder.recordValue(Math.max(1_000, System.nanoTime() - sent));
                    delivered.incrementAndGet();
                }
            }
        };
        int index = 0;
        for (UUID room : rooms) {
            for (int s = 0; s < socketsPerRoom; s++) {
                open.add(opener.open(index++, room, onFrame, subscribed));
            }
        }
        if (!subscribed.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every socket subscribed: " + subscribed.getCount() + " missing");
        }
        Thread.sleep(500);
        recorder.reset();
        delivered.set(0);
        double cpuBefore = Machine.cpuSeconds(servers.get());
        long start = System.nanoTime();
        OpenLoop.Result posts = OpenLoop.run(postsPerSecond, duration, 20_000,
                (i, scheduled) -> poster.post(rooms.get(i % rooms.size()), "fanout " + scheduled, i));
        long expected = (posts.latency().count() - posts.latency().errors()) * socketsPerRoom;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = Machine.cpuSeconds(servers.get()) - cpuBefore;
        int closedByServer = (int) open.stream().filter(s -> s instanceof LiveClient live && live.isClosed()).count();
        for (AutoCloseable socket : open) {
            socket.close();
        }
        return new FanOut(rooms.size(), socketsPerRoom, postsPerSecond, delivered.get() / seconds,
                cpu > 0 ? delivered.get() / cpu : 0, expected, delivered.get(), closedByServer,
                Latency.of(recorder.getIntervalHistogram(), Math.max(0, expected - delivered.get())));
    }

    /** Babble's sockets: authenticated by token, subscribed to a room from its current end. */
    public static SocketOpener babbleSockets(Target target) {
        var lastSeqs = new java.util.concurrent.ConcurrentHashMap<UUID, Long>();
        return (index, room, onFrame, subscribed) -> {
            long lastSeq = lastSeqs.computeIfAbsent(room, target::lastSeq);
            UserSession user = target.users().get(index % target.users().size());
            var socket = LiveClient.stream(target.sockets(), target.base(), user.token(), frame -> {
                if ("subscribed".equals(frame.path("type").asText())) {
                    subscribed.countDown();
                }
                onFrame.accept(frame);
            });
            socket.subscribe(room, lastSeq); // from now: nothing to replay
            return socket;
        };
    }

    public static Poster babblePoster(Target target) {
        return (room, text, i) -> target.load().send("POST", "/api/v1/rooms/" + room + "/messages",
                        babble.bench.LoadClient.textBody(text), target.users().get(i % target.users().size()).token())
                .thenApply(status -> status == 201);
    }

    /**
     * Opens N authenticated, subscribed sockets that then stay quiet, and measures what each costs the server. The
     * first half is opened before the baseline reading so that one-time costs (per-room state, buffers, caches
     * warmed by the first sockets) are not charged to the sockets measured: the figure is the growth from the
     * second half, divided by its size.
     */
    public static IdleSockets idle(Target target, int count) throws Exception {
        var sockets = new ArrayList<LiveClient>();
        try {
            int half = count / 2;
            openIdle(target, sockets, 0, half);
            List<ProcessHandle> gateways = Machine.gateways(target.processes());
            double heapBefore = Machine.liveHeapMiB(gateways);
            double before = Machine.rssMiB(gateways);
            openIdle(target, sockets, half, count);
            Thread.sleep(3_000);
            double heapAfter = Machine.liveHeapMiB(gateways);
            double after = Machine.rssMiB(gateways);
            int measured = count - half;
            return new IdleSockets(count, heapBefore, heapAfter, (heapAfter - heapBefore) * 1024 / measured,
                    before, after, (after - before) * 1024 / measured);
        } finally {
            for (LiveClient socket : sockets) { // open sockets would keep the HTTP client from closing
                socket.close();
            }
        }
    }

    private static void openIdle(Target target, List<LiveClient> sockets, int from, int to) throws Exception {
        var subscribed = new CountDownLatch(to - from);
        var lastSeqs = new java.util.HashMap<UUID, Long>();
        for (int i = from; i < to; i++) {
            UserSession user = target.users().get(i % target.users().size());
            UUID room = target.rooms().get(i % target.rooms().size());
            long lastSeq = lastSeqs.computeIfAbsent(room, target::lastSeq);
            var holder = new java.util.concurrent.atomic.AtomicReference<LiveClient>();
            var socket = LiveClient.stream(target.sockets(), target.base(), user.token(), frame -> {
                String type = frame.path("type").asText();
                if ("subscribed".equals(type)) {
                    subscribed.countDown();
                } else if ("error".equals(type) && frame.path("status").asInt() == 503) {
                    // As a real client does: the gateway could not check or catch up now, so ask again shortly.
                    System.out.printf("bench: idle socket in room %s: %s; subscribing again%n", room, frame.path("title").asText());
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> holder.get().subscribe(room, lastSeq));
                }
            });
            holder.set(socket);
            socket.subscribe(room, lastSeq);
            sockets.add(socket);
        }
        if (!subscribed.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException(subscribed.getCount() + " idle sockets did not subscribe");
        }
    }

    /** {@code !quote} posted at a fixed rate; latency from the scheduled post to the bot's reply on a socket. */
    public static Latency quoteRoundTrip(Target target, double perSecond, Duration duration) throws Exception {
        UUID room = target.rooms().getFirst();
        UserSession user = target.users().getFirst();
        var pending = new ConcurrentLinkedQueue<Long>();
        var recorder = Latency.recorder();
        var replies = new AtomicLong();
        var ready = new CountDownLatch(1);
        try (var socket = LiveClient.stream(target.sockets(), target.base(), user.token(), frame -> {
            if ("subscribed".equals(frame.path("type").asText())) {
                ready.countDown();
            }
            JsonNode message = frame.get("message");
            if (message != null && "babblebot".equals(message.path("username").asText())) {
                Long sent = pending.poll(); // the bot answers in order
                if (sent != null) {
                    recorder.recordValue(Math.max(1_000, System.nanoTime() - sent));
                    replies.incrementAndGet();
                }
            }
        })) {
            socket.subscribe(room, target.lastSeq(room));
            ready.await(30, TimeUnit.SECONDS);
            var posts = OpenLoop.run(perSecond, duration, 1_000, (i, scheduled) -> {
                pending.add(scheduled);
                return target.load().send("POST", "/api/v1/rooms/" + room + "/messages",
                        babble.bench.LoadClient.textBody("!quote"), user.token()).thenApply(status -> status == 201);
            });
            long expected = posts.latency().count() - posts.latency().errors();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (replies.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return Latency.of(recorder.getIntervalHistogram(), expected - replies.get());
        }
    }

    /** N clients drop at once, 50 messages are posted, all come back at once with their last seq. */
    public static Reconnect reconnectStorm(Target target, int clients, int missed) throws Exception {
        UUID room = target.rooms().getFirst();
        UserSession poster = target.users().getFirst();
        long lastSeq = target.lastSeq(room);
        var first = new CountDownLatch(clients);
        var sockets = new ArrayList<LiveClient>();
        for (int i = 0; i < clients; i++) {
            var socket = LiveClient.stream(target.sockets(), target.base(), target.users().get(i % target.users().size()).token(),
                    frame -> {
                        if ("subscribed".equals(frame.path("type").asText())) {
                            first.countDown();
                        }
                    });
            socket.subscribe(room, lastSeq);
            sockets.add(socket);
        }
        first.await(120, TimeUnit.SECONDS);
        sockets.forEach(LiveClient::abort); // the network drops for everyone
        for (int i = 0; i < missed; i++) {
            poster.post(room, "while you were away " + i);
        }
        var recorder = Latency.recorder();
        var done = new CountDownLatch(clients);
        var again = new ArrayList<LiveClient>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            var received = new AtomicLong();
            var socket = LiveClient.stream(target.sockets(), target.base(), target.users().get(i % target.users().size()).token(),
                    frame -> {
                        if ("message".equals(frame.path("type").asText()) && received.incrementAndGet() == missed) {
                            recorder.recordValue(Math.max(1_000, System.nanoTime() - start));
                            done.countDown();
                        }
                    });
            socket.subscribe(room, lastSeq);
            again.add(socket);
        }
        boolean all = done.await(120, TimeUnit.SECONDS);
        double allMs = (System.nanoTime() - start) / 1e6;
        again.forEach(LiveClient::close);
        return new Reconnect(clients, missed, all ? allMs : -1, Latency.of(recorder.getIntervalHistogram(), done.getCount()));
    }

    /** The socket opener and poster for the bare WebSocket broadcast baseline. */
    public static SocketOpener bareSockets(java.net.http.HttpClient http, URI base) {
        return (index, room, onFrame, subscribed) -> {
            var socket = new BareSocket(http, URI.create("ws://" + base.getAuthority() + "/ws?room=" + room), onFrame);
            subscribed.countDown();
            return socket;
        };
    }

    public static Poster barePoster(babble.bench.LoadClient client) {
        return (room, text, i) -> client.send("POST", "/broadcast/" + room, babble.bench.LoadClient.textBody(text), null)
                .thenApply(status -> status == 204);
    }
}
