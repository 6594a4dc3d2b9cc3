package babble.messages.domain;

import babble.contracts.api.MessageView;
import babble.contracts.api.UserView;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageMentioned;
import babble.contracts.events.MessageReacted;
import babble.contracts.internal.MessageBatch;
import babble.contracts.internal.MessageBatchResult;
import babble.contracts.internal.ReadStates;
import babble.contracts.internal.Replay;
import babble.messages.events.MessageEvents;
import babble.messages.store.MessageStore;
import babble.platform.Ids;
import babble.platform.batch.GroupCommit;
import babble.platform.db.Database;
import babble.platform.db.Sql;
import babble.platform.identity.Identity;
import babble.platform.outbox.Outbox;
import babble.platform.problem.Conflict;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.problem.Problem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The rules of messages: only members read and post; each message gets the room's next seq in the insert
 * transaction; a retried post with the same Idempotency-Key returns the first message; read markers only move
 * forward, and posting moves the poster's marker to their message.
 *
 * <p>Posts are written by group commit: posts that arrive together are written by one writer in one transaction
 * (each with its seq, read marker and event, in arrival order), and each poster is answered once it committed.
 * A commit is the dear part of a post (H2 rewrites the touched pages of every index, PostgreSQL flushes its log),
 * so under load many posts share one; alone, a post waits for its own commit only, as before. One writer also
 * means posts never wait for each other's lock on a room's sequence row.
 */
public final class Messages implements AutoCloseable {
    public static final int MAX_TEXT = 4000;
    public static final int MAX_LIMIT = 200;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final int MAX_BATCH = 500;
    private static final int MAX_WAITING = 20_000;

    private final Database db;
    private final MessageStore store;
    private final Memberships memberships;
    private final MessageEvents events;
    private final Clock clock;
    private final GroupCommit<NewMessage, Written> writes;
    private final RoomDirectory rooms;
    private final Duration editWindow;

    public Messages(Database db, MessageStore store, Memberships memberships, MessageEvents events, Clock clock,
                    RoomDirectory rooms, Duration editWindow) {
        this.db = db;
        this.store = store;
        this.memberships = memberships;
        this.events = events;
        this.clock = clock;
        this.rooms = rooms;
        this.editWindow = editWindow;
        this.writes = new GroupCommit<>("messages", MAX_BATCH, MAX_WAITING, this::writeAll);
    }

    @Override
    public void close() {
        writes.close();
    }

    public MessageView post(Identity caller, UUID roomId, String text, String idempotencyKey) {
        UUID userId = caller.requireUser();
        validateText(text);
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidField("Idempotency-Key", "must be 1 to 128 visible ASCII characters");
        }
        if (idempotencyKey != null) {
            var earlier = sameRequestBefore(roomId, userId, idempotencyKey, text);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        memberships.requireMember(roomId, caller);
        try {
            return writes.submit(new NewMessage(roomId, userId, caller.username(), text, idempotencyKey,
                    memberships.mentioned(roomId, text, userId), author(caller), Outbox.Cause.current())).orThrow();
        } catch (RuntimeException e) {
            if (idempotencyKey != null && Sql.isUniqueViolation(e)) {
                // The same request raced itself; the other attempt won and its message is the answer.
                return sameRequestBefore(roomId, userId, idempotencyKey, text).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * Posts by several users that a service relays (the MQTT bridge's devices), written in the given order: each
     * checked as {@link #post} would check it, the accepted ones queued together for the writer. Answers one
     * outcome per post, in order; a post refused (not a member, bad text) fails only itself.
     */
    public List<MessageBatchResult.Outcome> postAll(String service, UUID roomId, List<MessageBatch.Post> posts) {
        var outcomes = new MessageBatchResult.Outcome[posts.size()];
        var toWrite = new ArrayList<NewMessage>();
        var positions = new ArrayList<Integer>();
        for (int i = 0; i < posts.size(); i++) {
            var p = posts.get(i);
            try {
                if (p == null || p.userId() == null) {
                    throw new InvalidField("posts[" + i + "].userId", "is required");
                }
                var caller = new Identity(service, p.userId(), p.username(), p.displayName(), p.membershipVersion());
                validateText(p.text());
                String key = p.idempotencyKey();
                if (key != null && !KEY.matcher(key).matches()) {
                    throw new InvalidField("posts[" + i + "].idempotencyKey", "must be 1 to 128 visible ASCII characters");
                }
                var earlier = key == null ? Optional.<MessageView>empty() : sameRequestBefore(roomId, p.userId(), key, p.text());
                if (earlier.isPresent()) {
                    outcomes[i] = new MessageBatchResult.Outcome(earlier.get(), null, null);
                    continue;
                }
                memberships.requireMember(roomId, caller);
                toWrite.add(new NewMessage(roomId, p.userId(), p.username(), p.text(), key,
                        memberships.mentioned(roomId, p.text(), p.userId()), author(caller), Outbox.Cause.current()));
                positions.add(i);
            } catch (Problem problem) {
                outcomes[i] = new MessageBatchResult.Outcome(null, problem.status(), problem.detail());
            }
        }
        var written = writes.submitAllAsync(toWrite);
        for (int k = 0; k < written.size(); k++) {
            int i = positions.get(k);
            NewMessage m = toWrite.get(k);
            try {
                outcomes[i] = new MessageBatchResult.Outcome(written.get(k).join().orThrow(), null, null);
            } catch (RuntimeException e) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                if (m.idempotencyKey() != null && Sql.isUniqueViolation(cause)) {
                    // The same key twice in one batch (a device's redelivery): the first one's message answers both.
                    outcomes[i] = sameRequestBefore(roomId, m.userId(), m.idempotencyKey(), m.text())
                            .map(found -> new MessageBatchResult.Outcome(found, null, null))
                            .orElse(new MessageBatchResult.Outcome(null, 409, "the Idempotency-Key raced itself"));
                } else if (cause instanceof Problem problem) {
                    outcomes[i] = new MessageBatchResult.Outcome(null, problem.status(), problem.detail());
                } else {
                    throw cause instanceof RuntimeException runtime ? runtime : e;
                }
            }
        }
        return List.of(outcomes);
    }

    /**
     * Writes a batch of posts in one transaction, each statement once for the whole batch (seqs taken per room, the
     * messages, read markers and events inserted as JDBC batches). If it fails, each post is written alone, so one
     * bad post (a racing Idempotency-Key) fails only itself.
     */
    private List<Written> writeAll(List<NewMessage> batch) {
        try {
            return db.inTransaction(tx -> write(tx, batch)).stream().map(m -> new Written(m, null)).toList();
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                throw e;
            }
            var written = new ArrayList<Written>(batch.size());
            for (NewMessage m : batch) {
                try {
                    written.add(new Written(db.inTransaction(tx -> write(tx, List.of(m))).getFirst(), null));
                } catch (RuntimeException failure) {
                    written.add(new Written(null, failure));
                }
            }
            return written;
        }
    }

    private List<MessageView> write(Handle tx, List<NewMessage> batch) {
        // Seqs are taken per room, in the order the posts arrived.
        Map<UUID, Integer> perRoom = new LinkedHashMap<>();
        batch.forEach(m -> perRoom.merge(m.roomId(), 1, Integer::sum));
        Map<UUID, Long> nextSeq = new HashMap<>();
        perRoom.forEach((room, count) -> nextSeq.put(room, store.reserveSeqs(tx, room, count) - count + 1));
        var messages = new ArrayList<MessageView>(batch.size());
        Map<List<UUID>, MessageStore.Marker> markers = new LinkedHashMap<>();
        for (NewMessage m : batch) {
            long seq = nextSeq.merge(m.roomId(), 1L, Long::sum) - 1;
            var message = new MessageView(Ids.newId(), m.roomId(), seq, m.userId(), m.username(), m.text(), clock.instant(),
                    null, false, m.mentions(), List.of());
            messages.add(message);
            markers.put(List.of(m.roomId(), m.userId()), new MessageStore.Marker(m.roomId(), m.userId(), seq));
        }
        store.insertAll(tx, messages, batch.stream().map(NewMessage::idempotencyKey).toList());
        store.moveReadMarkers(tx, List.copyOf(markers.values()));
        events.createdAll(tx, messages, batch.stream().map(NewMessage::cause).toList());
        for (int i = 0; i < messages.size(); i++) {
            MessageView m = messages.get(i);
            if (!m.mentions().isEmpty()) {
                events.mentioned(tx, new MessageMentioned(m.roomId(), m.seq(), m.mentions(), batch.get(i).author()),
                        batch.get(i).cause());
            }
        }
        return messages;
    }

    private static UserView author(Identity caller) {
        return new UserView(caller.userId(), caller.username(),
                caller.displayName() == null ? caller.username() : caller.displayName());
    }

    /**
     * A post on its way to the writer: the members it mentions, and what the events need from the caller's request
     * (its author, its id, its trace).
     */
    private record NewMessage(UUID roomId, UUID userId, String username, String text, String idempotencyKey,
                              List<UUID> mentions, UserView author, Outbox.Cause cause) {
    }

    /** A post's outcome within its batch: the message, or why that post alone failed. */
    private record Written(MessageView message, RuntimeException failure) {
        MessageView orThrow() {
            if (failure != null) {
                throw failure;
            }
            return message;
        }
    }

    /** Latest {@code limit} messages, or those after / before a seq; always ascending. */
    public List<MessageView> list(Identity caller, UUID roomId, Long after, Long before, int limit) {
        UUID userId = caller.requireUser();
        if (after != null && before != null) {
            throw new InvalidField("before", "use either before or after, not both");
        }
        memberships.requireMember(roomId, caller);
        return db.withHandle(h -> {
            List<MessageView> page;
            if (after != null) {
                page = store.after(h, roomId, after, limit);
            } else if (before != null) {
                page = store.before(h, roomId, before, limit);
            } else {
                page = store.latest(h, roomId, limit);
            }
            return store.withReactions(h, roomId, page, userId);
        });
    }

    /**
     * The author changes a message's text, within the edit window. Idempotent: the same text again changes nothing
     * (a retried PATCH answers the message as it is). A deleted message is gone: 404.
     */
    public MessageView edit(Identity caller, UUID roomId, long seq, String text) {
        UUID userId = caller.requireUser();
        validateText(text);
        memberships.requireMember(roomId, caller);
        var mentions = memberships.mentioned(roomId, text, userId);
        return db.inTransaction(tx -> {
            long change = store.nextChange(tx, roomId); // the room's lock: nothing else changes it until commit
            var stored = liveMessage(tx, roomId, seq);
            if (!stored.authorId().equals(userId)) {
                throw new Forbidden("only the author of a message may edit it");
            }
            if (stored.message().text().equals(text)) {
                var now = store.withReactions(tx, roomId, List.of(stored.message()), userId).getFirst();
                tx.rollback(); // nothing changes, so no change number is spent
                return now;
            }
            if (clock.instant().isAfter(stored.message().createdAt().plus(editWindow))) {
                throw new Forbidden("a message can be edited for " + editWindow.toHours() + " hours after it was posted");
            }
            store.edit(tx, roomId, seq, text, clock.instant(), change);
            store.replaceMentions(tx, roomId, seq, mentions);
            var newlyMentioned = mentions.stream().filter(id -> !stored.message().mentions().contains(id)).toList();
            if (!newlyMentioned.isEmpty()) {
                events.mentioned(tx, new MessageMentioned(roomId, seq, newlyMentioned, author(caller)), Outbox.Cause.current());
            }
            var edited = store.find(tx, roomId, seq).orElseThrow().message();
            events.changed(tx, store.withReactions(tx, roomId, List.of(edited), null).getFirst(), change, Outbox.Cause.current());
            return store.withReactions(tx, roomId, List.of(edited), userId).getFirst();
        });
    }

    /**
     * The author or the room's owner deletes a message: its text goes, its seq stays as a tombstone. Idempotent: a
     * message already deleted answers the same (a retried DELETE).
     */
    public void delete(Identity caller, UUID roomId, long seq) {
        UUID userId = caller.requireUser();
        memberships.requireMember(roomId, caller);
        var known = db.withHandle(h -> store.find(h, roomId, seq)).orElseThrow(() -> NotFound.of("message", roomId + "/" + seq));
        if (!known.authorId().equals(userId) && !rooms.access(roomId, userId).owner()) {
            throw new Forbidden("only the author of a message or the room's owner may delete it");
        }
        if (known.deleted()) {
            return;
        }
        db.useTransaction(tx -> {
            long change = store.nextChange(tx, roomId);
            if (store.find(tx, roomId, seq).orElseThrow().deleted()) {
                tx.rollback(); // deleted meanwhile by someone else
                return;
            }
            store.delete(tx, roomId, seq, change);
            events.changed(tx, store.find(tx, roomId, seq).orElseThrow().message(), change, Outbox.Cause.current());
        });
    }

    /**
     * A member gives ({@code add}) or takes back an emoji on a message; idempotent either way. Answers the message's
     * reactions now, with "me" for the caller.
     */
    public List<MessageView.Reaction> react(Identity caller, UUID roomId, long seq, String emoji, boolean add) {
        UUID userId = caller.requireUser();
        if (!Emoji.isKnown(emoji)) {
            throw new InvalidField("emoji", "must be one of the " + Emoji.NAMES.size() + " names: " + String.join(", ", Emoji.NAMES));
        }
        memberships.requireMember(roomId, caller);
        db.useTransaction(tx -> {
            long change = store.nextChange(tx, roomId);
            liveMessage(tx, roomId, seq);
            boolean changed = add ? store.addReaction(tx, roomId, seq, emoji, userId, clock.instant())
                    : store.removeReaction(tx, roomId, seq, emoji, userId);
            if (!changed) {
                tx.rollback(); // given already, or not given: nothing changes, no change number is spent
                return;
            }
            store.changed(tx, roomId, seq, change);
            var counts = reactionsOf(tx, roomId, seq, null);
            events.reacted(tx, new MessageReacted(roomId, seq, emoji, userId, add, counts, change), Outbox.Cause.current());
        });
        return db.withHandle(h -> reactionsOf(h, roomId, seq, userId));
    }

    private List<MessageView.Reaction> reactionsOf(Handle h, UUID roomId, long seq, UUID viewer) {
        var message = liveMessage(h, roomId, seq).message();
        return store.withReactions(h, roomId, List.of(message), viewer).getFirst().reactions();
    }

    private MessageStore.Stored liveMessage(Handle h, UUID roomId, long seq) {
        return store.find(h, roomId, seq).filter(m -> !m.deleted())
                .orElseThrow(() -> NotFound.of("message", roomId + "/" + seq));
    }

    /** Moves the caller's read marker up to {@code seq}; never backwards, never past the last message. */
    public void markRead(Identity caller, UUID roomId, Long seq) {
        UUID userId = caller.requireUser();
        if (seq == null) {
            throw new InvalidField("seq", "is required");
        }
        if (seq < 0) {
            throw new InvalidField("seq", "must be at least 0");
        }
        memberships.requireMember(roomId, caller);
        db.useTransaction(tx -> {
            long last = store.lastSeq(tx, roomId);
            if (seq > last) {
                throw new InvalidField("seq", "is after the room's last message (" + last + ")");
            }
            store.moveReadMarker(tx, roomId, userId, seq);
        });
    }

    /**
     * What a live client missed after seq {@code after} and change {@code afterChange}: the messages after the seq
     * and the changes to those up to it, all of it when at most {@code max} together, otherwise nothing but the
     * room's last seq and change (the client reloads by REST). For the gateway only: no membership check.
     */
    public Replay replay(UUID roomId, long after, long afterChange, int max) {
        return db.inTransaction(h -> { // one snapshot: the messages and changes agree with lastSeq and lastChange
            long last = store.lastSeq(h, roomId);
            long lastChange = store.lastChange(h, roomId);
            long upTo = Math.min(after, last);
            var changes = afterChange >= lastChange || upTo == 0
                    ? List.<MessageChanged>of() : store.changedAfter(h, roomId, afterChange, upTo, max + 1);
            long missed = Math.max(0, last - after);
            if (missed + changes.size() > max) {
                return new Replay(List.of(), last, false, List.of(), lastChange);
            }
            var messages = missed == 0 ? List.<MessageView>of() : store.withReactions(h, roomId, store.after(h, roomId, after, max), null);
            var changed = changes.isEmpty() ? changes : withReactions(h, roomId, changes);
            return new Replay(messages, last, true, changed, lastChange);
        });
    }

    private List<MessageChanged> withReactions(Handle h, UUID roomId, List<MessageChanged> changes) {
        var now = store.withReactions(h, roomId, changes.stream().map(MessageChanged::message).toList(), null);
        var out = new ArrayList<MessageChanged>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            out.add(new MessageChanged(now.get(i), changes.get(i).change()));
        }
        return out;
    }

    /** Per room: its last seq and the user's read marker (0 for rooms without messages or markers). */
    public ReadStates readStates(UUID userId, List<UUID> roomIds) {
        var states = new HashMap<UUID, ReadStates.ReadState>();
        for (UUID id : roomIds) {
            states.put(id, ReadStates.ReadState.NONE);
        }
        if (!roomIds.isEmpty()) {
            db.withHandle(h -> store.readStates(h, userId, roomIds)).forEach(states::put);
        }
        return new ReadStates(states);
    }

    private Optional<MessageView> sameRequestBefore(UUID roomId, UUID userId, String key, String text) {
        var earlier = db.withHandle(h -> store.findByIdempotencyKey(h, roomId, userId, key));
        if (earlier.isPresent() && !earlier.get().text().equals(text)) {
            throw new Conflict("the Idempotency-Key " + key + " was already used for a different message");
        }
        return earlier;
    }

    private static void validateText(String text) {
        if (text == null) {
            throw new InvalidField("text", "is required");
        }
        if (text.isBlank()) {
            throw new InvalidField("text", "must not be blank");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw new InvalidField("text", "must be at most " + MAX_TEXT + " characters");
        }
    }
}
