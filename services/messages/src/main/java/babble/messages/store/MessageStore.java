package babble.messages.store;

import babble.contracts.api.MessageView;
import babble.contracts.events.MessageChanged;
import babble.contracts.internal.ReadStates;
import babble.platform.db.Sql;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for messages, the per-room sequence and read markers. Every query is served by the primary key. */
public final class MessageStore {
    private static final UUID NOBODY = new UUID(0, 0); // no user has it: "me" is false for every reaction
    private static final String COLUMNS = "id, room_id, seq, user_id, username, text, created_at, edited_at, deleted, mentions";
    private static final RowMapper<MessageView> MESSAGE = (rs, ctx) -> rs.getBoolean("deleted")
            ? MessageView.tombstone(Sql.uuid(rs, "id"), Sql.uuid(rs, "room_id"), rs.getLong("seq"), Sql.instant(rs, "created_at"))
            : new MessageView(Sql.uuid(rs, "id"), Sql.uuid(rs, "room_id"), rs.getLong("seq"), Sql.uuid(rs, "user_id"),
                    rs.getString("username"), rs.getString("text"), Sql.instant(rs, "created_at"),
                    Sql.instant(rs, "edited_at"), false, ids(rs.getString("mentions")), List.of());

    /**
     * Takes the room's next {@code count} seqs at once and returns the last of them (they are last-count+1..last).
     * The update locks the room's row until commit, so posts to one room get consecutive seqs with no gaps (a
     * rolled-back post gives its seqs back).
     */
    public long reserveSeqs(Handle tx, UUID roomId, int count) {
        int updated = tx.createUpdate("update rooms set last_seq = last_seq + :count where id = :id")
                .bind("count", count).bind("id", roomId).execute();
        if (updated == 0) {
            ensureRoom(tx, roomId);
            tx.createUpdate("update rooms set last_seq = last_seq + :count where id = :id")
                    .bind("count", count).bind("id", roomId).execute();
        }
        return lastSeq(tx, roomId);
    }

    public long lastSeq(Handle h, UUID roomId) {
        return h.createQuery("select last_seq from rooms where id = :id").bind("id", roomId)
                .mapTo(Long.class).findOne().orElse(0L);
    }

    /** Creates the room's row if missing (looked up first: a conflicting insert costs H2 an exception). */
    public static void ensureRoom(Handle tx, UUID roomId) {
        boolean exists = tx.createQuery("select 1 from rooms where id = :id").bind("id", roomId).mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            tx.createUpdate("insert into rooms (id, last_seq) values (:id, 0) on conflict do nothing").bind("id", roomId)
                    .execute();
        }
    }

    /**
     * Inserts messages in one round trip (a JDBC batch), and their mentions in another when there are any;
     * {@code keys} holds each one's Idempotency-Key or null.
     */
    public void insertAll(Handle tx, List<MessageView> messages, List<String> keys) {
        var batch = tx.prepareBatch("""
                insert into messages (room_id, seq, id, user_id, username, text, created_at, idempotency_key, mentions)
                values (:roomId, :seq, :id, :userId, :username, :text, :createdAt, :key, :mentions)""");
        for (int i = 0; i < messages.size(); i++) {
            MessageView m = messages.get(i);
            batch.bind("roomId", m.roomId()).bind("seq", m.seq()).bind("id", m.id()).bind("userId", m.userId())
                    .bind("username", m.username()).bind("text", m.text()).bind("createdAt", Sql.utc(m.createdAt()))
                    .bind("key", keys.get(i)).bind("mentions", column(m.mentions())).add();
        }
        batch.execute();
        if (messages.stream().anyMatch(m -> !m.mentions().isEmpty())) {
            var rows = tx.prepareBatch("insert into mentions (room_id, user_id, seq) values (:roomId, :userId, :seq)");
            for (MessageView m : messages) {
                m.mentions().forEach(user -> rows.bind("roomId", m.roomId()).bind("userId", user).bind("seq", m.seq()).add());
            }
            rows.execute();
        }
    }

    /** Replaces a message's mentions (after an edit; none after a deletion). */
    public void replaceMentions(Handle tx, UUID roomId, long seq, List<UUID> mentions) {
        tx.createUpdate("delete from mentions where room_id = :roomId and seq = :seq").bind("roomId", roomId).bind("seq", seq)
                .execute();
        tx.createUpdate("update messages set mentions = :mentions where room_id = :roomId and seq = :seq")
                .bind("mentions", column(mentions)).bind("roomId", roomId).bind("seq", seq).execute();
        if (!mentions.isEmpty()) {
            var rows = tx.prepareBatch("insert into mentions (room_id, user_id, seq) values (:roomId, :userId, :seq)");
            mentions.forEach(user -> rows.bind("roomId", roomId).bind("userId", user).bind("seq", seq).add());
            rows.execute();
        }
    }

    private static String column(List<UUID> ids) {
        return ids.isEmpty() ? null : ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }

    private static List<UUID> ids(String column) {
        return column == null || column.isEmpty() ? List.of() : java.util.Arrays.stream(column.split(",")).map(UUID::fromString).toList();
    }

    /** A message as stored, with its author even when deleted (who may change it is decided from that). */
    public record Stored(MessageView message, UUID authorId, boolean deleted) {
    }

    public Optional<Stored> find(Handle h, UUID roomId, long seq) {
        return h.createQuery("select " + COLUMNS + " from messages where room_id = :roomId and seq = :seq")
                .bind("roomId", roomId).bind("seq", seq)
                .map((rs, ctx) -> new Stored(MESSAGE.map(rs, ctx), Sql.uuid(rs, "user_id"), rs.getBoolean("deleted")))
                .findOne();
    }

    /**
     * Takes the room's next change number. The update locks the room's row until commit (as a post's seq does),
     * so a room's changes are numbered in commit order and never interleave with another change to the room.
     */
    public long nextChange(Handle tx, UUID roomId) {
        tx.createUpdate("update rooms set last_change = last_change + 1 where id = :id").bind("id", roomId).execute();
        return lastChange(tx, roomId);
    }

    public long lastChange(Handle h, UUID roomId) {
        return h.createQuery("select last_change from rooms where id = :id").bind("id", roomId)
                .mapTo(Long.class).findOne().orElse(0L);
    }

    public void edit(Handle tx, UUID roomId, long seq, String text, java.time.Instant at, long change) {
        tx.createUpdate("update messages set text = :text, edited_at = :at, change = :change where room_id = :roomId and seq = :seq")
                .bind("text", text).bind("at", Sql.utc(at)).bind("change", change).bind("roomId", roomId).bind("seq", seq)
                .execute();
    }

    /** Deletes a message's text and reactions, keeping its row (the seq) as a tombstone. */
    public void delete(Handle tx, UUID roomId, long seq, long change) {
        replaceMentions(tx, roomId, seq, List.of());
        tx.createUpdate("update messages set text = '', deleted = true, change = :change where room_id = :roomId and seq = :seq")
                .bind("change", change).bind("roomId", roomId).bind("seq", seq).execute();
        tx.createUpdate("delete from reactions where room_id = :roomId and seq = :seq")
                .bind("roomId", roomId).bind("seq", seq).execute();
    }

    /** Records that the message changed in change {@code change} (a reaction given or taken back). */
    public void changed(Handle tx, UUID roomId, long seq, long change) {
        tx.createUpdate("update messages set change = :change where room_id = :roomId and seq = :seq")
                .bind("change", change).bind("roomId", roomId).bind("seq", seq).execute();
    }

    /** Gives an emoji; false when the user had given it already. */
    public boolean addReaction(Handle tx, UUID roomId, long seq, String emoji, UUID userId, java.time.Instant at) {
        boolean given = tx.createQuery("select 1 from reactions where room_id = :roomId and seq = :seq and emoji = :emoji"
                        + " and user_id = :userId")
                .bind("roomId", roomId).bind("seq", seq).bind("emoji", emoji).bind("userId", userId)
                .mapTo(Integer.class).findOne().isPresent();
        if (given) {
            return false; // looked up first: a conflicting insert costs H2 an exception
        }
        return tx.createUpdate("""
                insert into reactions (room_id, seq, emoji, user_id, reacted_at) values (:roomId, :seq, :emoji, :userId, :at)
                on conflict do nothing""")
                .bind("roomId", roomId).bind("seq", seq).bind("emoji", emoji).bind("userId", userId)
                .bind("at", Sql.utc(at)).execute() == 1;
    }

    /** Takes an emoji back; false when the user had not given it. */
    public boolean removeReaction(Handle tx, UUID roomId, long seq, String emoji, UUID userId) {
        return tx.createUpdate("delete from reactions where room_id = :roomId and seq = :seq and emoji = :emoji and user_id = :userId")
                .bind("roomId", roomId).bind("seq", seq).bind("emoji", emoji).bind("userId", userId).execute() == 1;
    }

    /**
     * The messages with their reactions, read in one query for all of them: per emoji its count, first given first,
     * and whether {@code viewer} gave it (left out when there is no viewer).
     */
    public List<MessageView> withReactions(Handle h, UUID roomId, List<MessageView> messages, UUID viewer) {
        if (messages.isEmpty()) {
            return messages;
        }
        long from = messages.stream().mapToLong(MessageView::seq).min().orElseThrow();
        long to = messages.stream().mapToLong(MessageView::seq).max().orElseThrow();
        var bySeq = h.createQuery("""
                        select seq, emoji, count(*) as n, min(reacted_at) as first,
                               max(case when user_id = :viewer then 1 else 0 end) as mine
                          from reactions where room_id = :roomId and seq between :from and :to
                         group by seq, emoji order by seq, first, emoji""")
                .bind("roomId", roomId).bind("from", from).bind("to", to)
                .bind("viewer", viewer == null ? NOBODY : viewer)
                .map((rs, ctx) -> Map.entry(rs.getLong("seq"), new MessageView.Reaction(rs.getString("emoji"), rs.getInt("n"),
                        viewer == null ? null : rs.getInt("mine") == 1)))
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        if (bySeq.isEmpty()) {
            return messages;
        }
        return messages.stream().map(m -> bySeq.containsKey(m.seq()) ? m.withReactions(bySeq.get(m.seq())) : m).toList();
    }

    /**
     * The messages up to {@code upToSeq} changed after change {@code afterChange}, each as it is now, in change
     * order; at most {@code limit} (read through the (room_id, change) index).
     */
    public List<MessageChanged> changedAfter(Handle h, UUID roomId, long afterChange, long upToSeq, int limit) {
        return h.createQuery("select " + COLUMNS + ", change from messages where room_id = :roomId and change > :after"
                        + " and seq <= :upTo order by room_id, change limit :limit")
                .bind("roomId", roomId).bind("after", afterChange).bind("upTo", upToSeq).bind("limit", limit)
                .map((rs, ctx) -> new MessageChanged(MESSAGE.map(rs, ctx), rs.getLong("change"))).list();
    }

    public Optional<MessageView> findByIdempotencyKey(Handle h, UUID roomId, UUID userId, String key) {
        return h.createQuery("select " + COLUMNS
                        + " from messages where room_id = :roomId and user_id = :userId and idempotency_key = :key")
                .bind("roomId", roomId).bind("userId", userId).bind("key", key).map(MESSAGE).findOne();
    }

    // A room's seqs are dense (1..last_seq, handed out in the insert's transaction, never deleted), so pages are
    // seq ranges read in index order. "order by seq desc limit n" would make H2 scan the whole room; so would an
    // order that is not the index's own (H2 sees "order by room_id, seq" as index order, not "order by seq").

    public List<MessageView> latest(Handle h, UUID roomId, int limit) {
        return h.createQuery("select " + COLUMNS + " from messages where room_id = :roomId"
                        + " and seq > (select last_seq from rooms where id = :roomId) - :limit order by seq")
                .bind("roomId", roomId).bind("limit", limit).map(MESSAGE).list();
    }

    public List<MessageView> after(Handle h, UUID roomId, long after, int limit) {
        return h.createQuery("select " + COLUMNS
                        + " from messages where room_id = :roomId and seq > :after order by room_id, seq limit :limit")
                .bind("roomId", roomId).bind("after", after).bind("limit", limit).map(MESSAGE).list();
    }

    public List<MessageView> before(Handle h, UUID roomId, long before, int limit) {
        return h.createQuery("select " + COLUMNS
                        + " from messages where room_id = :roomId and seq >= :from and seq < :before order by seq")
                .bind("roomId", roomId).bind("from", before - limit).bind("before", before).map(MESSAGE).list();
    }

    /**
     * Moves a read marker forward to {@code seq} (creating it if needed); never moves it back. The update comes
     * first because the marker nearly always exists: an insert that conflicts costs H2 an exception per call.
     */
    public void moveReadMarker(Handle tx, UUID roomId, UUID userId, long seq) {
        int moved = tx.createUpdate("""
                update read_markers set last_read_seq = :seq
                where room_id = :roomId and user_id = :userId and last_read_seq < :seq""")
                .bind("roomId", roomId).bind("userId", userId).bind("seq", seq).execute();
        if (moved == 0) {
            tx.createUpdate("""
                    insert into read_markers (room_id, user_id, last_read_seq) values (:roomId, :userId, :seq)
                    on conflict do nothing""")
                    .bind("roomId", roomId).bind("userId", userId).bind("seq", seq).execute();
        }
    }

    /** A user's read marker in a room. */
    public record Marker(UUID roomId, UUID userId, long seq) {
    }

    /** {@link #moveReadMarker} for several markers in two round trips: the updates as one batch, then the inserts. */
    public void moveReadMarkers(Handle tx, List<Marker> markers) {
        var updates = tx.prepareBatch("""
                update read_markers set last_read_seq = :seq
                where room_id = :roomId and user_id = :userId and last_read_seq < :seq""");
        markers.forEach(m -> updates.bind("roomId", m.roomId()).bind("userId", m.userId()).bind("seq", m.seq()).add());
        int[] moved = updates.execute();
        var inserts = tx.prepareBatch("""
                insert into read_markers (room_id, user_id, last_read_seq) values (:roomId, :userId, :seq)
                on conflict do nothing""");
        boolean any = false;
        for (int i = 0; i < markers.size(); i++) {
            if (moved[i] == 0) { // no marker yet, or one already at or past this seq (the insert then does nothing)
                Marker m = markers.get(i);
                inserts.bind("roomId", m.roomId()).bind("userId", m.userId()).bind("seq", m.seq()).add();
                any = true;
            }
        }
        if (any) {
            inserts.execute();
        }
    }

    public Map<UUID, ReadStates.ReadState> readStates(Handle h, UUID userId, List<UUID> roomIds) {
        return h.createQuery("""
                        select r.id, r.last_seq, r.last_change, coalesce(m.last_read_seq, 0) as last_read_seq,
                               (select count(*) from mentions x where x.room_id = r.id and x.user_id = :userId
                                   and x.seq > coalesce(m.last_read_seq, 0)) as mentions
                          from rooms r left join read_markers m on m.room_id = r.id and m.user_id = :userId
                         where r.id in (<ids>)""")
                .bind("userId", userId)
                .bindList("ids", roomIds)
                .map((rs, ctx) -> Map.entry(Sql.uuid(rs, "id"),
                        new ReadStates.ReadState(rs.getLong("last_seq"), rs.getLong("last_read_seq"),
                                rs.getLong("last_change"), rs.getLong("mentions"))))
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
