package babble.gateway.domain;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageCreated;
import babble.contracts.internal.Replay;
import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.Subscription;
import babble.platform.problem.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room's live delivery in this gateway, alive while it has local sockets. It listens to the room's
 * message subject and does everything for the room on one thread, in order: catching a joining socket up (from
 * memory when recent, from the messages service otherwise), filling gaps when a live event was missed, and
 * sending each message frame (built once) to every socket exactly once, in seq order. Sockets are never waited
 * on: a slow one is closed by its own bounded queue. When the messages service cannot be read, nothing is
 * dropped: a joining socket waits (retried with backoff, for a while) and a gap is filled by a later resync.
 */
final class RoomChannel {
    static final int REPLAY_LIMIT = 1_000;
    static final int MAX_QUEUED = 4_096;
    private static final int RECENT = 256;
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);

    private sealed interface Command {
    }

    private record Deliver(long seq, String frame) implements Command {
    }

    /** A socket asks to be caught up from {@code afterSeq}; retried while the store cannot be read. */
    private record Join(LiveSocket socket, long afterSeq, long firstTriedNanos, int attempt) implements Command {
        Join next() {
            return new Join(socket, afterSeq, firstTriedNanos, attempt + 1);
        }
    }

    private record Leave(LiveSocket socket, String reason) implements Command {
    }

    private record Stop() implements Command {
    }

    /** Live events may have been lost (a bus reconnect, a gap not filled yet): catch everyone up from the store. */
    private record Resync() implements Command {
    }

    /** How far a socket has been sent. */
    private static final class Cursor {
        long seq;

        Cursor(long seq) {
            this.seq = seq;
        }
    }

    private final UUID roomId;
    private final History history;
    private final Fanout fanout;
    private final Retries retries;
    private final int maxQueued;
    private final BlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    // Live events waiting in the inbox. Past maxQueued they are dropped and read from the store later instead:
    // the store is the truth, so a stalled channel costs bounded memory and loses nothing.
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Map<LiveSocket, Cursor> members = new HashMap<>();
    private final Map<LiveSocket, Join> waiting = new HashMap<>(); // joins to retry: the store could not be read
    private final RecentMessages recent = new RecentMessages(RECENT);
    private long head = -1; // highest seq fanned out to every member; -1 until known
    private boolean resyncScheduled;
    private int resyncAttempts; // failed resyncs in a row, for the backoff
    private Subscription listener;
    int references; // sockets subscribed, guarded by the Fanout's lock

    private RoomChannel(UUID roomId, History history, Fanout fanout, Retries retries, int maxQueued) {
        this.roomId = roomId;
        this.history = history;
        this.fanout = fanout;
        this.retries = retries;
        this.maxQueued = maxQueued;
    }

    /**
     * Opens the channel. Its thread starts listening before it handles any command, so every catch-up comes after
     * the subscription is in place and nothing committed meanwhile is missed; and the caller (holding the Fanout's
     * lock) never waits for the bus.
     */
    static RoomChannel open(UUID roomId, Bus bus, History history, Fanout fanout, Retries retries, int maxQueued) {
        var channel = new RoomChannel(roomId, history, fanout, retries, maxQueued);
        Thread.ofVirtual().name("live-room-" + roomId).start(() -> channel.run(bus));
        return channel;
    }

    void join(LiveSocket socket, long afterSeq) {
        inbox.add(new Join(socket, afterSeq, System.nanoTime(), 0));
    }

    void leave(LiveSocket socket, String reason) {
        inbox.add(new Leave(socket, reason));
    }

    void stop() {
        inbox.add(new Stop());
    }

    void resync() {
        inbox.add(new Resync());
    }

    private void onEvent(Event event) {
        var message = event.data().get("message");
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            if (overflowed.compareAndSet(false, true)) {
                log.warn("room {}: live events arrive faster than they are sent; reading the rest from the store", roomId);
                inbox.add(new Resync());
            }
            return;
        }
        inbox.add(new Deliver(message.get("seq").asLong(), Frames.message(message)));
    }

    private void run(Bus bus) {
        try {
            listener = bus.listen("events." + MessageCreated.TYPE + "." + roomId, this::onEvent);
            while (true) {
                Command command = inbox.poll(30, TimeUnit.SECONDS);
                switch (command) {
                    case null -> {
                        // quiet room: nothing to do
                    }
                    case Deliver d -> {
                        queued.decrementAndGet();
                        deliver(d.seq(), d.frame());
                    }
                    case Join j -> join(j);
                    case Leave l -> {
                        boolean known = members.remove(l.socket()) != null | waiting.remove(l.socket()) != null;
                        if (known && l.reason() != null) {
                            l.socket().send(Frames.unsubscribed(roomId, l.reason()));
                        }
                    }
                    case Resync r -> {
                        resyncScheduled = false;
                        overflowed.set(false);
                        catchUpEveryone();
                    }
                    case Stop s -> {
                        stopListening();
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            stopListening();
        } catch (RuntimeException e) {
            log.error("live channel of room {} failed", roomId, e);
            stopListening();
            // Its sockets are told, and dropped from the room, so that subscribing again builds a fresh channel.
            var sockets = new java.util.HashSet<>(members.keySet());
            sockets.addAll(waiting.keySet());
            inbox.forEach(command -> {
                if (command instanceof Join j) {
                    sockets.add(j.socket()); // not caught up yet
                }
            });
            for (LiveSocket socket : sockets) {
                socket.send(Frames.error(503, "live delivery of this room failed; subscribe again", roomId));
                fanout.unsubscribe(socket, roomId, null);
            }
        }
    }

    private void stopListening() {
        if (listener != null) {
            listener.close();
        }
    }

    private void join(Join j) {
        if (j.attempt() > 0 && waiting.get(j.socket()) != j) {
            return; // a retry, but the socket subscribed again or left meanwhile
        }
        waiting.remove(j.socket());
        catchUp(j.socket(), j.afterSeq(), j);
    }

    private void catchUp(LiveSocket socket, long afterSeq, Join join) {
        members.remove(socket); // a re-subscribe starts over from the seq it gives
        if (!socket.isOpen()) {
            return;
        }
        if (head >= 0 && afterSeq == head) {
            members.put(socket, new Cursor(afterSeq));
            socket.send(Frames.subscribed(roomId, true, afterSeq));
            return;
        }
        if (head >= 0 && afterSeq > head) {
            // Ahead of this channel: fine if those messages are in flight, but not past the room's real end.
            afterSeq = Math.min(afterSeq, lastSeqInStore(afterSeq));
            members.put(socket, new Cursor(afterSeq));
            socket.send(Frames.subscribed(roomId, true, afterSeq));
            return;
        }
        List<String> fromMemory = head >= 0 ? recent.after(afterSeq, head) : null;
        if (fromMemory != null) {
            fromMemory.forEach(socket::send);
            members.put(socket, new Cursor(head));
            socket.send(Frames.subscribed(roomId, true, head));
            return;
        }
        Replay replay;
        try {
            replay = history.after(roomId, afterSeq, REPLAY_LIMIT);
        } catch (Problem e) {
            retryLater(join, e);
            return;
        }
        if (members.isEmpty()) {
            // Alone in the channel, this socket's position is the channel's: events up to it are duplicates.
            // With others present, head stays theirs, and this socket's cursor alone skips what it has.
            head = Math.max(head, replay.lastSeq());
        }
        if (!replay.complete()) {
            members.put(socket, new Cursor(replay.lastSeq()));
            socket.send(Frames.subscribed(roomId, false, replay.lastSeq()));
            return;
        }
        long sent = afterSeq;
        for (MessageView message : replay.messages()) {
            socket.send(Frames.message(message));
            sent = message.seq();
        }
        long cursor = Math.max(sent, replay.lastSeq());
        members.put(socket, new Cursor(cursor));
        socket.send(Frames.subscribed(roomId, true, cursor));
    }

    /** The store is unavailable: the socket waits and is tried again, until the retry policy gives up. */
    private void retryLater(Join join, Problem cause) {
        if (retries.gaveUp(join.firstTriedNanos())) {
            log.warn("room {}: cannot catch a socket up, giving up after {} attempts: {}", roomId, join.attempt() + 1,
                    cause.getMessage());
            join.socket().send(Frames.error(503, "cannot catch up on this room right now; subscribe again shortly", roomId));
            fanout.unsubscribe(join.socket(), roomId, null);
            return;
        }
        Join next = join.next();
        waiting.put(join.socket(), next);
        fanout.later(retries.delay(join.attempt()), () -> inbox.add(next));
    }

    private long lastSeqInStore(long fallback) {
        try {
            return history.after(roomId, Long.MAX_VALUE - 1, 1).lastSeq();
        } catch (Problem e) {
            return fallback;
        }
    }

    /** Sends every member what the store has after {@code head}; on failure, tries again later. */
    private void catchUpEveryone() {
        if (head < 0 || members.isEmpty()) {
            return;
        }
        try {
            Replay missed = history.after(roomId, head, REPLAY_LIMIT);
            resyncAttempts = 0;
            if (!missed.complete()) {
                for (var entry : members.entrySet()) {
                    entry.getValue().seq = missed.lastSeq();
                    entry.getKey().send(Frames.subscribed(roomId, false, missed.lastSeq())); // too much: reload by REST
                }
                head = missed.lastSeq();
                return;
            }
            for (MessageView m : missed.messages()) {
                send(m.seq(), Frames.message(m));
            }
        } catch (Problem e) {
            log.warn("room {}: cannot catch up from the store yet: {}", roomId, e.getMessage());
            scheduleResync();
        }
    }

    private void scheduleResync() {
        if (!resyncScheduled) {
            resyncScheduled = true;
            fanout.later(retries.delay(resyncAttempts++), () -> inbox.add(new Resync()));
        }
    }

    private void deliver(long seq, String frame) {
        if (head >= 0 && seq <= head) {
            return; // already sent (a catch-up read it from the store first) or a duplicate
        }
        if (head >= 0 && seq > head + 1 && !members.isEmpty()) {
            // A live event was missed (a listener overflow, a bus reconnect): read what is missing from the
            // store, in order, usually this one and maybe later ones too. Until that works, a resync is pending.
            if (!resyncScheduled) {
                catchUpEveryone();
            }
            if (seq > head + 1) {
                scheduleResync();
            }
            if (seq != head + 1) {
                return;
            }
        }
        send(seq, frame);
    }

    private void send(long seq, String frame) {
        for (var entry : members.entrySet()) {
            Cursor cursor = entry.getValue();
            if (cursor.seq < seq) {
                entry.getKey().send(frame);
                cursor.seq = seq;
            }
        }
        recent.add(seq, frame);
        head = seq;
    }
}
