package babble.bench.scenarios;

import babble.bench.LoadClient;
import babble.bench.Target;
import babble.client.LiveClient;
import babble.client.UserSession;
import babble.contracts.api.MessageView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mix of the soak and the chaos run, and what it was promised: 10 of every 20 requests post a chat message
 * ({@code soak <n>}), 5 read the latest page of a room, and one each creates a post, comments, follows or
 * unfollows, lists hot posts, and asks the bot for a quote (one turn in five; the others read a follow). Two live
 * sockets per room, subscribed before the load, receive every room's messages. It remembers which messages and
 * comments were acknowledged, and checks that each was kept: delivered once to every socket of its room, stored
 * once, each comment moderated once, each {@code !quote} answered once.
 */
final class MixedLoad implements AutoCloseable {
    static final int SOCKETS_PER_ROOM = 2;
    private static final int MIX = 20;
    /** What each position of a turn of the mix does (the bot's slot reads a follow in four turns of five). */
    private static final String[] KINDS = {"message", "message", "message", "message", "message", "message", "message",
            "message", "message", "message", "history", "history", "history", "history", "history", "post", "comment",
            "follow", "hot posts", "quote or follow read"};

    /** A comment the server acknowledged, its post, and the index of the user who wrote it. */
    record Comment(String id, UUID postId, int author) {
    }

    /** What reading every room's history back found. */
    record Stored(long missing, long twice, long quoteCommands, long botReplies) {
    }

    private final Target target;
    private final List<UUID> seeded;
    private final int rooms;
    private final List<LiveClient> sockets = new ArrayList<>();
    private final Map<UUID, Long> startSeqs = new HashMap<>();
    private final BitSet acknowledged = new BitSet(); // guarded by this
    private final List<BitSet> received = new ArrayList<>(); // guarded by this
    private final AtomicLong duplicates = new AtomicLong();
    private final ConcurrentLinkedQueue<Comment> comments = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    private MixedLoad(Target target, List<UUID> seeded) {
        this.target = target;
        this.seeded = seeded;
        this.rooms = target.rooms().size();
        for (int i = 0; i < rooms * SOCKETS_PER_ROOM; i++) {
            received.add(new BitSet());
        }
    }

    /** Seeds a few posts to comment on and opens the sockets, each subscribed from its room's end. */
    static MixedLoad open(Target target) throws InterruptedException {
        var load = new MixedLoad(target, Posts.seed(target, 2));
        var subscribed = new CountDownLatch(load.rooms * SOCKETS_PER_ROOM);
        for (int r = 0; r < load.rooms; r++) {
            UUID room = target.rooms().get(r);
            long lastSeq = target.lastSeq(room);
            load.startSeqs.put(room, lastSeq);
            for (int s = 0; s < SOCKETS_PER_ROOM; s++) {
                int socketIndex = r * SOCKETS_PER_ROOM + s;
                UserSession user = target.users().get(socketIndex % target.users().size());
                var socket = LiveClient.stream(target.sockets(), target.base(), user.token(), frame -> {
                    if ("subscribed".equals(frame.path("type").asText())) {
                        subscribed.countDown();
                    }
                    JsonNode message = frame.get("message");
                    if (message != null && message.path("text").asText("").startsWith("soak ")) {
                        load.received(socketIndex, Long.parseLong(message.path("text").asText().substring(5)));
                    }
                });
                socket.subscribe(room, lastSeq);
                load.sockets.add(socket);
            }
        }
        if (!subscribed.await(60, TimeUnit.SECONDS)) {
            load.close();
            throw new IllegalStateException("not every socket subscribed: " + subscribed.getCount() + " missing");
        }
        return load;
    }

    /** The request at this position of the mix; its answer is counted by its kind and status. */
    CompletableFuture<Boolean> request(long position) {
        String kind = KINDS[(int) (position % MIX)];
        return send(position).thenApply(status -> {
            outcomes.computeIfAbsent(kind + " " + status, k -> new LongAdder()).increment();
            return status >= 200 && status < 300;
        });
    }

    /** How many answers of each kind and status ("message 201", "comment 503", status 0: no answer). */
    Map<String, Long> outcomes() {
        var out = new java.util.TreeMap<String, Long>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private CompletableFuture<Integer> send(long position) {
        int slot = (int) (position % MIX);
        long turn = position / MIX;
        int users = target.users().size();
        int userIndex = (int) (position % users);
        UserSession user = target.users().get(userIndex);
        if (slot < 10) {
            long message = turn * 10 + slot;
            UUID room = target.rooms().get((int) (message % rooms));
            return target.load().send("POST", "/api/v1/rooms/" + room + "/messages",
                    LoadClient.textBody("soak " + message), user.token()).thenApply(status -> {
                        if (status == 201) {
                            acknowledged(message);
                        }
                        return status;
                    });
        }
        UUID room = target.rooms().get((int) ((turn + slot) % rooms)); // by turn: every room, whatever the counts
        UserSession follower = target.users().get((int) (turn % users));
        UserSession followed = target.users().get((int) ((turn + 1) % users));
        return switch (slot) {
            case 10, 11, 12, 13, 14 -> target.load().send("GET", "/api/v1/rooms/" + room + "/messages?limit=50", null,
                    user.token());
            case 15 -> target.load().send("POST", "/api/v1/rooms/" + room + "/posts",
                    "{\"title\":\"post " + position + "\",\"body\":\"a post of the mixed load\"}", user.token());
            case 16 -> {
                UUID post = seeded.get((int) (turn % seeded.size()));
                yield target.load().sendForBody("POST", "/api/v1/posts/" + post + "/comments",
                        LoadClient.textBody("comment " + position), user.token()).thenApply(answer -> {
                            if (answer.status() == 201) {
                                comments.add(new Comment(answer.json().get("id").asText(), post, userIndex));
                            }
                            return answer.status();
                        });
            }
            case 17 -> target.load().send((turn / users) % 2 == 0 ? "POST" : "DELETE",
                    "/api/v1/users/" + follower.id() + "/follow/" + followed.id(), null, follower.token());
            case 18 -> target.load().send("GET", "/api/v1/rooms/" + room + "/posts?sort=hot", null, user.token());
            default -> turn % 5 == 0
                    ? target.load().send("POST", "/api/v1/rooms/" + room + "/messages", LoadClient.textBody("!quote"),
                            user.token())
                    : target.load().send("GET", "/api/v1/users/" + follower.id() + "/follow/" + followed.id(), null,
                            follower.token());
        };
    }

    private synchronized void acknowledged(long message) {
        acknowledged.set(Math.toIntExact(message));
    }

    synchronized long acknowledged() {
        return acknowledged.cardinality();
    }

    private synchronized void received(int socket, long message) {
        BitSet seen = received.get(socket);
        int index = Math.toIntExact(message);
        if (seen.get(index)) {
            duplicates.incrementAndGet();
        }
        seen.set(index);
    }

    int sockets() {
        return sockets.size();
    }

    long duplicateDeliveries() {
        return duplicates.get();
    }

    int socketsClosed() {
        return (int) sockets.stream().filter(LiveClient::isClosed).count();
    }

    List<Comment> acknowledgedComments() {
        return List.copyOf(comments);
    }

    /** Acknowledged messages not (yet) received by a socket of their room, over every socket. */
    synchronized long missingDeliveries() {
        long missing = 0;
        for (int socket = 0; socket < received.size(); socket++) {
            int room = socket / SOCKETS_PER_ROOM;
            BitSet mine = (BitSet) acknowledged.clone();
            mine.andNot(received.get(socket));
            missing += mine.stream().filter(m -> m % rooms == room).count();
        }
        return missing;
    }

    /** Waits up to {@code patience} for deliveries to catch up with the last answers; the deliveries still missing. */
    long awaitDeliveries(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (missingDeliveries() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return missingDeliveries();
    }

    /**
     * Reads every room's history since the load began: acknowledged messages missing or stored twice, and how many
     * {@code !quote} commands and bot replies it holds.
     */
    Stored readBack() {
        BitSet acked;
        synchronized (this) {
            acked = (BitSet) acknowledged.clone();
        }
        var stored = new BitSet();
        long twice = 0;
        long quotes = 0;
        long replies = 0;
        UserSession reader = target.users().getFirst();
        for (UUID room : target.rooms()) {
            long after = startSeqs.get(room);
            while (true) {
                List<MessageView> page = reader.after(room, after, 100);
                for (MessageView m : page) {
                    if (m.text().startsWith("soak ")) {
                        int n = Math.toIntExact(Long.parseLong(m.text().substring(5)));
                        if (stored.get(n)) {
                            twice++;
                        }
                        stored.set(n);
                    } else if (m.text().equals("!quote")) {
                        quotes++;
                    } else if ("babblebot".equals(m.username())) {
                        replies++;
                    }
                }
                if (page.size() < 100) {
                    break;
                }
                after = page.getLast().seq();
            }
        }
        acked.andNot(stored);
        return new Stored(acked.cardinality(), twice, quotes, replies);
    }

    @Override
    public void close() {
        sockets.forEach(LiveClient::close);
    }
}
