package babble.follows.store;

import babble.contracts.api.UserView;
import babble.follows.domain.PageCursor;
import babble.platform.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for follows. Lists are newest first and page by (time, id), each served by an index. */
public final class FollowStore {
    /** One row of a follow list: the other person and when the follow began. */
    public record Entry(UserView user, Instant at) {
    }

    private static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(
            new UserView(Sql.uuid(rs, "id"), rs.getString("username"), rs.getString("display_name")),
            Sql.instant(rs, "created_at"));

    /** Adds the follow; false if it already existed. */
    public boolean add(Handle tx, UUID followerId, UUID followeeId, Instant at) {
        return tx.createUpdate("""
                insert into follows (follower_id, followee_id, created_at) values (:follower, :followee, :at)
                on conflict do nothing""")
                .bind("follower", followerId).bind("followee", followeeId).bind("at", Sql.utc(at)).execute() == 1;
    }

    public boolean remove(Handle tx, UUID followerId, UUID followeeId) {
        return tx.createUpdate("delete from follows where follower_id = :follower and followee_id = :followee")
                .bind("follower", followerId).bind("followee", followeeId).execute() == 1;
    }

    public boolean exists(Handle h, UUID followerId, UUID followeeId) {
        return h.createQuery("select count(*) from follows where follower_id = :follower and followee_id = :followee")
                .bind("follower", followerId).bind("followee", followeeId).mapTo(Integer.class).one() > 0;
    }

    public List<Entry> followers(Handle h, UUID userId, PageCursor after, int limit) {
        return list(h, "follower_id", "followee_id", userId, after, limit);
    }

    public List<Entry> following(Handle h, UUID userId, PageCursor after, int limit) {
        return list(h, "followee_id", "follower_id", userId, after, limit);
    }

    private static List<Entry> list(Handle h, String otherColumn, String ownColumn, UUID userId, PageCursor after, int limit) {
        String page = after == null ? "" : " and (f.created_at < :at or (f.created_at = :at and f." + otherColumn + " < :afterId))";
        var query = h.createQuery("select u.id, u.username, u.display_name, f.created_at from follows f"
                + " join users u on u.id = f." + otherColumn
                + " where f." + ownColumn + " = :userId" + page
                // The index's own order (H2 reads just one page from it only then; see MessageStore).
                + " order by f." + ownColumn + " desc, f.created_at desc, f." + otherColumn + " desc limit :limit")
                .bind("userId", userId).bind("limit", limit);
        if (after != null) {
            query.bind("at", Sql.utc(after.at())).bind("afterId", after.userId());
        }
        return query.map(ENTRY).list();
    }
}
