package babble.moderation.store;

import babble.contracts.api.ModerationHistory;
import babble.contracts.api.UserView;
import babble.moderation.domain.Item;
import babble.moderation.domain.RoomRules;
import babble.moderation.domain.WordRules;
import babble.platform.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for rules, items with their current decision, and the append-only history of decisions. */
public final class ModerationStore {
    private static final String ITEM_COLUMNS = "id, kind, post_id, room_id, author_id, author_username, author_name, "
            + "text, snapshot, created_at, status, reason, version, deleted";
    private static final RowMapper<Item> ITEM = (rs, ctx) -> new Item(rs.getString("kind"), Sql.uuid(rs, "id"),
            Sql.uuid(rs, "post_id"), Sql.uuid(rs, "room_id"),
            new UserView(Sql.uuid(rs, "author_id"), rs.getString("author_username"), rs.getString("author_name")),
            rs.getString("text"), rs.getString("snapshot"), Sql.instant(rs, "created_at"), rs.getString("status"),
            rs.getString("reason"), rs.getLong("version"), rs.getBoolean("deleted"));

    public RoomRules rules(Handle h, UUID roomId) {
        return h.createQuery("select blocked_words, hold_words, hold_all from rules where room_id = :roomId")
                .bind("roomId", roomId)
                .map((rs, ctx) -> new RoomRules(WordRules.stored(rs.getString("blocked_words")),
                        WordRules.stored(rs.getString("hold_words")), rs.getBoolean("hold_all")))
                .findOne().orElse(RoomRules.NONE);
    }

    public void saveRules(Handle tx, UUID roomId, RoomRules rules) {
        int updated = tx.createUpdate("""
                update rules set blocked_words = :blocked, hold_words = :held, hold_all = :all where room_id = :roomId""")
                .bind("roomId", roomId).bind("blocked", rules.blocked().stored()).bind("held", rules.held().stored())
                .bind("all", rules.holdAll()).execute();
        if (updated == 0) {
            tx.createUpdate("""
                    insert into rules (room_id, blocked_words, hold_words, hold_all) values (:roomId, :blocked, :held, :all)""")
                    .bind("roomId", roomId).bind("blocked", rules.blocked().stored()).bind("held", rules.held().stored())
                    .bind("all", rules.holdAll()).execute();
        }
    }

    /** Records a new item with its first decision; false when it was already known (a redelivered event). */
    public boolean insertItem(Handle tx, Item item) {
        return tx.createUpdate("""
                insert into items (id, kind, post_id, room_id, author_id, author_username, author_name, text, snapshot,
                                   created_at, status, reason, version, deleted)
                values (:id, :kind, :postId, :roomId, :authorId, :username, :name, :text, :snapshot, :createdAt,
                        :status, :reason, :version, false)
                on conflict do nothing""")
                .bind("id", item.id()).bind("kind", item.kind()).bind("postId", item.postId())
                .bind("roomId", item.roomId()).bind("authorId", item.author().id())
                .bind("username", item.author().username()).bind("name", item.author().displayName())
                .bind("text", item.text()).bind("snapshot", item.snapshot()).bind("createdAt", Sql.utc(item.createdAt()))
                .bind("status", item.status()).bind("reason", item.reason()).bind("version", item.version())
                .execute() == 1;
    }

    public Optional<Item> find(Handle h, UUID id) {
        return h.createQuery("select " + ITEM_COLUMNS + " from items where id = :id").bind("id", id).map(ITEM).findOne();
    }

    public Optional<Item> lock(Handle tx, UUID id) {
        return tx.createQuery("select " + ITEM_COLUMNS + " from items where id = :id for update").bind("id", id)
                .map(ITEM).findOne();
    }

    public void updateDecision(Handle tx, Item item) {
        tx.createUpdate("update items set status = :status, reason = :reason, version = :version where id = :id")
                .bind("status", item.status()).bind("reason", item.reason()).bind("version", item.version())
                .bind("id", item.id()).execute();
    }

    public void appendHistory(Handle tx, Item item, String by, Instant at) {
        tx.createUpdate("""
                insert into decisions (item_id, version, status, decided_by, reason, decided_at)
                values (:id, :version, :status, :by, :reason, :at)""")
                .bind("id", item.id()).bind("version", item.version()).bind("status", item.status()).bind("by", by)
                .bind("reason", item.reason()).bind("at", Sql.utc(at)).execute();
    }

    public List<ModerationHistory.Entry> history(Handle h, UUID itemId) {
        return h.createQuery("""
                        select status, decided_by, reason, decided_at from decisions where item_id = :id order by item_id, version""")
                .bind("id", itemId)
                .map((rs, ctx) -> new ModerationHistory.Entry(rs.getString("status"), rs.getString("decided_by"),
                        rs.getString("reason"), Sql.instant(rs, "decided_at")))
                .list();
    }

    /** Held items of a room, oldest first (ids are time-ordered), after {@code after}. */
    public List<Item> held(Handle h, UUID roomId, UUID after, int limit) {
        var query = h.createQuery("select " + ITEM_COLUMNS + " from items where room_id = :roomId and status = 'held' "
                + "and deleted = false" + (after == null ? "" : " and id > :after") + " order by room_id, status, id limit :limit");
        if (after != null) {
            query.bind("after", after);
        }
        return query.bind("roomId", roomId).bind("limit", limit).map(ITEM).list();
    }

    /** A deleted post and its comments leave the queue (their history stays). */
    public void markPostDeleted(Handle tx, UUID postId) {
        tx.createUpdate("update items set deleted = true where post_id = :postId").bind("postId", postId).execute();
    }
}
