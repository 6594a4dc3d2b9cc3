package babble.gateway.domain;

import babble.platform.bus.Bus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which local sockets are subscribed to which rooms. A room's {@link RoomChannel} (and its bus subscription)
 * exists exactly while at least one local socket is subscribed to it.
 */
public final class Fanout implements AutoCloseable {
    private final Bus bus;
    private final History history;
    private final Retries retries;
    private final int maxQueued;
    // One timer thread for every room's retries: a retry only puts a command back in its room's inbox.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("live-retries").daemon().factory());
    private final Map<UUID, RoomChannel> channels = new HashMap<>();
    private final Map<LiveSocket, Set<UUID>> subscriptions = new HashMap<>();
    // Leaves seen lately, oldest first: a subscribe whose membership check raced one of them is refused.
    private final Map<RoomMember, Long> recentLeaves = new java.util.LinkedHashMap<>();
    private static final Duration REMEMBER_LEAVES = Duration.ofMinutes(1);

    private record RoomMember(UUID roomId, UUID userId) {
    }

    public Fanout(Bus bus, History history) {
        this(bus, history, Retries.DEFAULT, RoomChannel.MAX_QUEUED);
    }

    Fanout(Bus bus, History history, Retries retries, int maxQueued) {
        this.bus = bus;
        this.history = history;
        this.retries = retries;
        this.maxQueued = maxQueued;
        bus.onLiveGap(this::resyncAll);
    }

    void later(Duration delay, Runnable task) {
        try {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: nothing is retried any more
        }
    }

    /** After a bus reconnect every room catches up from the store, so nothing missed meanwhile is lost. */
    public synchronized void resyncAll() {
        channels.values().forEach(RoomChannel::resync);
    }

    /** A moment to pass to {@link #subscribe(LiveSocket, UUID, long, long, long)}: take it before checking membership. */
    public static long now() {
        return System.nanoTime();
    }

    /**
     * Subscribes a socket whose membership was checked from {@code checkedAt} on, unless its user left the room
     * since then (the leave could have come after the check answered): false when not subscribed for that reason.
     */
    public synchronized boolean subscribe(LiveSocket socket, UUID roomId, long afterSeq, long afterChange, long checkedAt) {
        Long left = recentLeaves.get(new RoomMember(roomId, socket.userId()));
        if (left != null && left - checkedAt >= 0) {
            return false;
        }
        subscribe(socket, roomId, afterSeq, afterChange);
        return true;
    }

    /** Subscribes (or re-subscribes) a socket to a room from a seq, knowing no change (all are sent again). */
    public void subscribe(LiveSocket socket, UUID roomId, long afterSeq) {
        subscribe(socket, roomId, afterSeq, 0);
    }

    /**
     * Subscribes (or re-subscribes) a socket to a room, catching it up with the messages after {@code afterSeq} and
     * the changes after {@code afterChange}.
     */
    public synchronized void subscribe(LiveSocket socket, UUID roomId, long afterSeq, long afterChange) {
        RoomChannel channel = channels.computeIfAbsent(roomId, id -> RoomChannel.open(id, bus, history, this, retries, maxQueued));
        if (subscriptions.computeIfAbsent(socket, s -> new HashSet<>()).add(roomId)) {
            channel.references++;
        }
        channel.join(socket, afterSeq, afterChange);
    }

    /** Whether the socket follows the room here (saying one is typing is only for such rooms). */
    public synchronized boolean isSubscribed(LiveSocket socket, UUID roomId) {
        return subscriptions.getOrDefault(socket, Set.of()).contains(roomId);
    }

    /**
     * Someone is typing in a room: told to the room's sockets on every gateway (each room's channel listens), and
     * stored nowhere.
     */
    public void typing(UUID roomId, babble.contracts.api.UserView user) {
        var data = babble.platform.json.Json.toTree(Map.of("roomId", roomId, "user", user));
        bus.broadcast(RoomChannel.TYPING_SUBJECT + roomId, new babble.platform.bus.Event(UUID.randomUUID(), "typing", 1,
                java.time.Instant.now(), roomId.toString(), data, Map.of()).encode());
    }

    /** Unsubscribes; with a {@code reason} the socket is told so with an "unsubscribed" frame. */
    public synchronized void unsubscribe(LiveSocket socket, UUID roomId, String reason) {
        Set<UUID> rooms = subscriptions.get(socket);
        if (rooms == null || !rooms.remove(roomId)) {
            return;
        }
        if (rooms.isEmpty()) {
            subscriptions.remove(socket);
        }
        RoomChannel channel = channels.get(roomId);
        channel.leave(socket, reason);
        if (--channel.references == 0) {
            channels.remove(roomId);
            channel.stop();
        }
    }

    public synchronized void disconnect(LiveSocket socket) {
        Set<UUID> rooms = subscriptions.get(socket);
        if (rooms != null) {
            for (UUID roomId : List.copyOf(rooms)) {
                unsubscribe(socket, roomId, null);
            }
        }
    }

    /** A user left a room: their sockets stop getting its messages at once. */
    public synchronized void memberLeft(UUID roomId, UUID userId) {
        long at = now();
        for (var oldest = recentLeaves.values().iterator(); oldest.hasNext(); ) { // oldest first: stop at a recent one
            if (at - oldest.next() <= REMEMBER_LEAVES.toNanos()) {
                break;
            }
            oldest.remove();
        }
        recentLeaves.remove(new RoomMember(roomId, userId));
        recentLeaves.put(new RoomMember(roomId, userId), at);
        for (var entry : List.copyOf(subscriptions.entrySet())) {
            if (entry.getKey().userId().equals(userId) && entry.getValue().contains(roomId)) {
                unsubscribe(entry.getKey(), roomId, "left");
            }
        }
    }

    /**
     * Sends a frame to this gateway's sockets subscribed to the room whose user {@code who} accepts (posts and
     * moderation frames, which are not part of the room's ordered message stream).
     */
    public void sendToRoom(UUID roomId, java.util.function.Predicate<UUID> who, String frame) {
        // Sent outside the lock: a socket too far behind closes as it is sent to, and its disconnect changes the
        // subscriptions (iterating them meanwhile failed, and the frame missed every socket after it).
        var targets = new ArrayList<LiveSocket>();
        synchronized (this) {
            for (var entry : subscriptions.entrySet()) {
                if (entry.getValue().contains(roomId) && who.test(entry.getKey().userId())) {
                    targets.add(entry.getKey());
                }
            }
        }
        targets.forEach(socket -> socket.send(frame));
    }

    /**
     * Sends a frame once to each of this gateway's sockets that follows any of {@code roomIds}, except those of
     * user {@code except} (presence: a socket following three of the user's rooms hears of it once; the user's own
     * sockets not at all). One pass over the subscriptions, the frame built once by the caller.
     */
    public void sendToAnyRoom(Set<UUID> roomIds, UUID except, String frame) {
        var targets = new ArrayList<LiveSocket>();
        synchronized (this) {
            for (var entry : subscriptions.entrySet()) {
                if (entry.getKey().userId().equals(except)) {
                    continue;
                }
                for (UUID room : entry.getValue()) {
                    if (roomIds.contains(room)) {
                        targets.add(entry.getKey());
                        break;
                    }
                }
            }
        }
        targets.forEach(socket -> socket.send(frame)); // outside the lock, as in sendToRoom
    }

    public synchronized int rooms() {
        return channels.size();
    }

    public synchronized int subscribedSockets() {
        return subscriptions.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
