package babble.gateway.domain;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageCreated;
import babble.contracts.internal.Replay;
import babble.platform.bus.Bus;
import babble.platform.bus.Event;
import babble.platform.bus.Subscription;
import babble.platform.problem.Problem;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room's live delivery in this gateway, alive while it has local sockets. It listens to the room's
 * message subject and does everything for the room on one thread, in order: catching a joining socket up (from
 * memory when recent, from the messages service otherwise), filling gaps when a live event was missed, and
 * sending each message frame (built once) to every socket exactly once, in seq order. Sockets are never waited
 * on: a slow one is closed by its own bounded queue.
 */
final class RoomChannel {
    static final int REPLAY_LIMIT = 1_000;
    private static final int RECENT = 256;
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);

    private sealed interface Command {
    }

    private record Deliver(long seq, String frame) implements Command {
    }

    private record Join(LiveSocket socket, long afterSeq) implements Command {
    }

    private record Leave(LiveSocket socket, String reason) implements Command {
    }

    private record Stop() implements Command {
    }

    /** Live events may have been lost (the bus reconnected): catch everyone up from the store. */
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
    private final BlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    private final Map<LiveSocket, Cursor> members = new HashMap<>();
    private final RecentMessages recent = new RecentMessages(RECENT);
    private long head = -1; // highest seq fanned out to every member; -1 until known
    private Subscription listener;
    int references; // sockets subscribed, guarded by the Fanout's lock

    private RoomChannel(UUID roomId, History history, Fanout fanout) {
        this.roomId = roomId;
        this.history = history;
        this.fanout = fanout;
    }

    /** Opens the channel: listening starts before any catch-up, so nothing committed meanwhile is missed. */
    static RoomChannel open(UUID roomId, Bus bus, History history, Fanout fanout) {
        var channel = new RoomChannel(roomId, history, fanout);
        channel.listener = bus.listen("events." + MessageCreated.TYPE + "." + roomId, channel::onEvent);
        Thread.ofVirtual().name("live-room-" + roomId).start(channel::run);
        return channel;
    }

    void join(LiveSocket socket, long afterSeq) {
        inbox.add(new Join(socket, afterSeq));
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
        inbox.add(new Deliver(message.get("seq").asLong(), Frames.message(message)));
    }

    private void run() {
        try {
            while (true) {
                Command command = inbox.poll(30, TimeUnit.SECONDS);
                switch (command) {
                    case null -> {
                        // quiet room: nothing to do
                    }
                    case Deliver d -> deliver(d.seq(), d.frame());
                    case Join j -> catchUp(j.socket(), j.afterSeq());
                    case Leave l -> {
                        if (members.remove(l.socket()) != null && l.reason() != null) {
                            l.socket().send(Frames.unsubscribed(roomId, l.reason()));
                        }
                    }
                    case Resync r -> catchUpEveryone();
                    case Stop s -> {
                        listener.close();
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            listener.close();
        } catch (RuntimeException e) {
            log.error("live channel of room {} failed", roomId, e);
            listener.close();
        }
    }

    private void catchUp(LiveSocket socket, long afterSeq) {
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
            socket.send(Frames.error(503, "cannot catch up on this room right now; subscribe again shortly", roomId));
            fanout.unsubscribe(socket, roomId, null);
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

    private long lastSeqInStore(long fallback) {
        try {
            return history.after(roomId, Long.MAX_VALUE - 1, 1).lastSeq();
        } catch (Problem e) {
            return fallback;
        }
    }

    private void catchUpEveryone() {
        if (head < 0 || members.isEmpty()) {
            return;
        }
        try {
            Replay missed = history.after(roomId, head, REPLAY_LIMIT);
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
            log.warn("room {}: cannot catch up after a bus reconnect yet: {}", roomId, e.getMessage());
        }
    }

    private void deliver(long seq, String frame) {
        if (head >= 0 && seq <= head) {
            return; // already sent (a catch-up read it from the store first) or a duplicate
        }
        if (head >= 0 && seq > head + 1 && !fillGap(seq)) {
            return; // the gap could not be filled now; a later message or rejoin will
        }
        send(seq, frame);
    }

    /** A live event was missed (a listener overflow, a bus reconnect): fetch what is between, in order. */
    private boolean fillGap(long nextSeq) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                Replay missing = history.after(roomId, head, (int) Math.min(REPLAY_LIMIT, nextSeq - head - 1));
                for (MessageView m : missing.messages()) {
                    if (m.seq() < nextSeq && m.seq() > head) {
                        send(m.seq(), Frames.message(m));
                    }
                }
                return head == nextSeq - 1;
            } catch (Problem e) {
                log.warn("room {}: cannot fill gap {}..{} (attempt {}): {}", roomId, head + 1, nextSeq - 1, attempt, e.getMessage());
                sleep(Duration.ofMillis(200L * attempt));
            }
        }
        return false;
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

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
