package babble.bench;

import babble.client.BabbleClient;
import babble.client.UserSession;
import babble.contracts.api.RoomView;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** What the scenarios load: the deployment's URL, its server processes, and users who share some rooms. */
public final class Target implements AutoCloseable {
    private final URI base;
    private final Supplier<List<ProcessHandle>> processes;
    private final BabbleClient client;
    private final LoadClient load;
    private final HttpClient sockets;
    private final List<UserSession> users = new ArrayList<>();
    private final List<UUID> rooms = new ArrayList<>();

    public Target(URI base, Supplier<List<ProcessHandle>> processes) throws Exception {
        this.base = base;
        this.processes = processes;
        this.client = new BabbleClient(base, Duration.ofSeconds(30), Executors.newFixedThreadPool(2));
        this.load = new LoadClient(base);
        this.sockets = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
    }

    /** Registers {@code userCount} users and {@code roomCount} rooms that every one of them has joined. */
    public void populate(int userCount, int roomCount) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var futures = new ArrayList<java.util.concurrent.Future<UserSession>>();
            for (int i = 0; i < userCount; i++) {
                int n = i;
                futures.add(pool.submit(() -> client.signUp("bench_" + run + "_" + n, "benchmark password")));
            }
            for (var f : futures) {
                users.add(f.get());
            }
        }
        for (int r = 0; r < roomCount; r++) {
            RoomView room = users.getFirst().createRoom("bench room " + r);
            rooms.add(room.id());
        }
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (UserSession user : users.subList(1, users.size())) {
                pool.submit(() -> rooms.forEach(user::join));
            }
        }
    }

    public URI base() {
        return base;
    }

    public BabbleClient client() {
        return client;
    }

    /** The open-loop scenarios' client. */
    public LoadClient load() {
        return load;
    }

    public HttpClient sockets() {
        return sockets;
    }

    public List<UserSession> users() {
        return users;
    }

    public List<UUID> rooms() {
        return rooms;
    }

    /** The room's last seq now (sockets subscribe from there: nothing to replay). */
    public long lastSeq(UUID room) {
        for (int attempt = 1; ; attempt++) {
            try {
                return users.getFirst().latest(room, 1).stream().mapToLong(m -> m.seq()).findFirst().orElse(0);
            } catch (RuntimeException e) { // a server still draining a saturating step may refuse for a moment
                if (attempt == 5) {
                    throw e;
                }
                sleep(attempt * 1_000L);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<ProcessHandle> processes() {
        return processes.get();
    }

    @Override
    public void close() throws Exception {
        client.close();
        load.close();
        sockets.close();
    }
}
