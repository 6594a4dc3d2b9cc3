package babble.gateway.domain;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageCreated;
import babble.contracts.events.MessageReacted;
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
 * message subjects and does everything for the room on one thread, in order: catching a joining socket up (from
 * memory when recent, from the messages service otherwise), filling gaps when a live event was missed, and
 * sending each message frame (built once) to every socket exactly once, in seq order.
 *
 * <p>Edits, deletions and reactions are numbered per room too (the change number), and go the same way: each change frame
 * once per socket, in change order, a missed one read from the store. A socket that joins from a seq and a change
 * is sent the messages after the seq and, once each as they are now, those up to it changed since the change. Sockets are never waited
 * on: a slow one is closed by its own bounded queue. When the messages service cannot be read, nothing is
 * dropped: a joining socket waits (retried with backoff, for a while) and a gap is filled by a later resync.
 */
final class RoomChannel {
    static final int REPLAY_LIMIT = 1_000;
    static final String TYPING_SUBJECT = "live.typing.";
    static final int MAX_QUEUED = 4_096;
    private static final int RECENT = 256;
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);

    private sealed interface Command {
    }

    private record Deliver(long seq, String frame) implements Command {
    }

    /** An edit or deletion of message {@code seq}, the room's change number {@code change}. */
    private record DeliverChange(long change, long seq, String frame) implements Command {
    }

    /** A socket asks to be caught up from a seq and a change; retried while the store cannot be read. */
    private record Join(LiveSocket socket, long afterSeq, long afterChange, long firstTriedNanos, int attempt)
            implements Command {
        Join next() {
            return new Join(socket, afterSeq, afterChange, firstTriedNanos, attempt + 1);
        }
    }

    private record Leave(LiveSocket socket, String reason) implements Command {
    }

    /** Someone is typing: told to every member but their own sockets. */
    private record Typing(UUID userId, String frame) implements Command {
    }

    private record Stop() implements Command {
    }

    /** Live events may have been lost (a bus reconnect, a gap not filled yet): catch everyone up from the store. */
    private record Resync() implements Command {
    }

    /** How far a socket has been sent: messages up to {@code seq}, changes up to {@code change}. */
    private static final class Cursor {
        long seq;
        long change;

        Cursor(long seq, long change) {
            this.seq = seq;
            this.change = change;
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
    private long changeHead = -1; // highest change fanned out to every member; -1 until known
    private boolean resyncScheduled;
    private int resyncAttempts; // failed resyncs in a row, for the backoff
    private Subscription listener;
    private Subscription typingListener;
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

    void join(LiveSocket socket, long afterSeq, long afterChange) {
        inbox.add(new Join(socket, afterSeq, afterChange, System.nanoTime(), 0));
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
        switch (event.type()) {
            case MessageCreated.TYPE -> {
                if (roomForMore()) {
                    inbox.add(new Deliver(message.get("seq").asLong(), Frames.message(message)));
                }
            }
            case MessageChanged.TYPE -> {
                long change = event.data().get("change").asLong();
                if (roomForMore()) {
                    inbox.add(new DeliverChange(change, message.get("seq").asLong(), Frames.changed(message, change)));
                }
            }
            case MessageReacted.TYPE -> {
                long change = event.data().get("change").asLong();
                if (roomForMore()) {
                    inbox.add(new DeliverChange(change, event.data().get("seq").asLong(), Frames.reactions(event.data())));
                }
            }
            default -> {
                // another kind of message event: not for live delivery
            }
        }
    }

    /** Typing is worth nothing late: past the inbox's bound it is dropped, never read again. */
    private void onTyping(Event event) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return;
        }
        var user = event.data().get("user");
        inbox.add(new Typing(UUID.fromString(user.get("id").asText()), Frames.typing(event.data())));
    }

    /** Counts a live event in; past the bound it is left to the store (a resync), and false is answered. */
    private boolean roomForMore() {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            if (overflowed.compareAndSet(false, true)) {
                log.warn("room {}: live events arrive faster than they are sent; reading the rest from the store", roomId);
                inbox.add(new Resync());
            }
            return false;
        }
        return true;
    }

    private void run(Bus bus) {
        try {
            // One subscription for new and changed messages, so they arrive in the order they were published.
            listener = bus.listen("events.message.*." + roomId, this::onEvent);
            typingListener = bus.listen(TYPING_SUBJECT + roomId, this::onTyping);
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
                    case DeliverChange c -> {
                        queued.decrementAndGet();
                        deliverChange(c);
                    }
                    case Typing t -> {
                        queued.decrementAndGet();
                        for (LiveSocket socket : members.keySet()) {
                            if (!socket.userId().equals(t.userId())) {
                                socket.send(t.frame());
                            }
                        }
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
        if (typingListener != null) {
            typingListener.close();
        }
    }

    private void join(Join j) {
        if (j.attempt() > 0 && waiting.get(j.socket()) != j) {
            return; // a retry, but the socket subscribed again or left meanwhile
        }
        waiting.remove(j.socket());
        catchUp(j.socket(), j.afterSeq(), j.afterChange(), j);
    }

    private void catchUp(LiveSocket socket, long afterSeq, long afterChange, Join join) {
        members.remove(socket); // a re-subscribe starts over from the seq it gives
        if (!socket.isOpen()) {
            return;
        }
        // From memory only when the socket has every change this channel sent: the frames held are as first sent.
        boolean changesKnown = changeHead >= 0 && afterChange == changeHead;
        if (changesKnown && head >= 0 && afterSeq == head) {
            members.put(socket, new Cursor(afterSeq, changeHead));
            socket.send(Frames.subscribed(roomId, true, afterSeq, changeHead));
            return;
        }
        if (changesKnown && head >= 0 && afterSeq > head) {
            // Ahead of this channel: fine if those messages are in flight, but not past the room's real end.
            afterSeq = Math.min(afterSeq, lastSeqInStore(afterSeq));
            members.put(socket, new Cursor(afterSeq, changeHead));
            socket.send(Frames.subscribed(roomId, true, afterSeq, changeHead));
            return;
        }
        List<String> fromMemory = changesKnown && head >= 0 ? recent.after(afterSeq, head) : null;
        if (fromMemory != null) {
            fromMemory.forEach(socket::send);
            members.put(socket, new Cursor(head, changeHead));
            socket.send(Frames.subscribed(roomId, true, head, changeHead));
            return;
        }
        Replay replay;
        try {
            replay = history.after(roomId, afterSeq, afterChange, REPLAY_LIMIT);
        } catch (Problem e) {
            retryLater(join, e);
            return;
        }
        if (members.isEmpty()) {
            // Alone in the channel, this socket's position is the channel's: events up to it are duplicates.
            // With others present, head stays theirs, and this socket's cursor alone skips what it has.
            head = Math.max(head, replay.lastSeq());
            changeHead = Math.max(changeHead, replay.lastChange());
        }
        if (!replay.complete()) {
            members.put(socket, new Cursor(replay.lastSeq(), replay.lastChange()));
            socket.send(Frames.subscribed(roomId, false, replay.lastSeq(), replay.lastChange()));
            return;
        }
        long sent = afterSeq;
        for (MessageView message : replay.messages()) {
            socket.send(Frames.message(message));
            sent = message.seq();
        }
        for (MessageChanged change : replay.changes()) {
            socket.send(Frames.changed(change));
        }
        long cursor = Math.max(sent, replay.lastSeq());
        // Every change up to the room's last is in what was sent: as a change frame, or in a message as it is now.
        members.put(socket, new Cursor(cursor, replay.lastChange()));
        socket.send(Frames.subscribed(roomId, true, cursor, replay.lastChange()));
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
            return history.after(roomId, Long.MAX_VALUE - 1, Long.MAX_VALUE - 1, 1).lastSeq();
        } catch (Problem e) {
            return fallback;
        }
    }

    /** Sends every member what the store has after {@code head} and {@code changeHead}; on failure, tries again later. */
    private void catchUpEveryone() {
        if (head < 0 || members.isEmpty()) {
            return;
        }
        try {
            Replay missed = history.after(roomId, head, Math.max(changeHead, 0), REPLAY_LIMIT);
            resyncAttempts = 0;
            if (!missed.complete()) {
                for (var entry : members.entrySet()) {
                    entry.getValue().seq = missed.lastSeq();
                    entry.getValue().change = missed.lastChange();
                    // too much: reload by REST
                    entry.getKey().send(Frames.subscribed(roomId, false, missed.lastSeq(), missed.lastChange()));
                }
                head = missed.lastSeq();
                changeHead = missed.lastChange();
                return;
            }
            for (MessageView m : missed.messages()) {
                send(m.seq(), Frames.message(m));
            }
            for (MessageChanged c : missed.changes()) {
                sendChange(c.change(), c.message().seq(), Frames.changed(c));
            }
            // The changes to messages after head are in those messages as read now.
            changeHead = Math.max(changeHead, missed.lastChange());
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

    private void deliverChange(DeliverChange c) {
        if (changeHead >= 0 && c.change() <= changeHead) {
            return; // already sent (a catch-up read it from the store first) or a duplicate
        }
        if (changeHead < 0 || members.isEmpty()) {
            // Not caught up from the store yet: the sockets' catch-up reads this change. A joining socket is
            // read from the store when its change is not the channel's, so nothing is lost by waiting.
            if (changeHead >= 0) {
                changeHead = c.change();
            }
            return;
        }
        if (c.change() > changeHead + 1 || c.seq() > head) {
            // A change event was missed, or the message itself has not arrived here yet: the store has both.
            if (!resyncScheduled) {
                catchUpEveryone();
            }
            if (c.change() <= changeHead) {
                return; // the catch-up sent it, as the message is now
            }
            if (c.change() > changeHead + 1 || c.seq() > head) {
                scheduleResync();
                return;
            }
        }
        sendChange(c.change(), c.seq(), c.frame());
    }

    /** Sends a change to each member that has the message and not the change yet. */
    private void sendChange(long change, long seq, String frame) {
        for (var entry : members.entrySet()) {
            Cursor cursor = entry.getValue();
            if (cursor.change < change) {
                if (cursor.seq >= seq) {
                    entry.getKey().send(frame);
                }
                cursor.change = change;
            }
        }
        changeHead = Math.max(changeHead, change);
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
