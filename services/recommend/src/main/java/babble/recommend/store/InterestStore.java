package babble.recommend.store;

import babble.platform.db.Sql;
import babble.recommend.domain.Interests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL of what readers are interested in: rooms they are in, people they follow, topics they follow or mute. */
public final class InterestStore {
    private static final String FOLLOW = "follow";
    private static final String MUTE = "mute";

    /** Applies a membership change of room version {@code version}, unless a newer one is applied. */
    public void membership(Handle tx, UUID roomId, UUID userId, boolean member, long version, Instant at) {
        int inserted = tx.createUpdate("""
                insert into memberships (room_id, user_id, member, version, changed_at)
                values (:roomId, :userId, :member, :version, :at)
                on conflict do nothing""")
                .bind("roomId", roomId).bind("userId", userId).bind("member", member).bind("version", version)
                .bind("at", Sql.utc(at)).execute();
        if (inserted == 0) {
            tx.createUpdate("""
                    update memberships set member = :member, version = :version, changed_at = :at
                    where room_id = :roomId and user_id = :userId and version < :version""")
                    .bind("roomId", roomId).bind("userId", userId).bind("member", member).bind("version", version)
                    .bind("at", Sql.utc(at)).execute();
        }
    }

    public void follow(Handle tx, UUID followerId, UUID followeeId, Instant at) {
        tx.createUpdate("""
                insert into follows (follower_id, followee_id, followed_at) values (:follower, :followee, :at)
                on conflict do nothing""")
                .bind("follower", followerId).bind("followee", followeeId).bind("at", Sql.utc(at)).execute();
    }

    public void unfollow(Handle tx, UUID followerId, UUID followeeId) {
        tx.createUpdate("delete from follows where follower_id = :follower and followee_id = :followee")
                .bind("follower", followerId).bind("followee", followeeId).execute();
    }

    /** The version of the user's topic preferences applied so far (0: none), with the user's row locked until commit. */
    public long lockTopicsVersion(Handle tx, UUID userId) {
        tx.createUpdate("insert into topic_versions (user_id, version) values (:userId, 0) on conflict do nothing")
                .bind("userId", userId).execute();
        return tx.createQuery("select version from topic_versions where user_id = :userId for update")
                .bind("userId", userId).mapTo(Long.class).one();
    }

    /** Replaces the user's topic preferences with those of version {@code version}. */
    public void replaceTopics(Handle tx, UUID userId, Collection<String> follow, Collection<String> mute, long version) {
        tx.createUpdate("update topic_versions set version = :version where user_id = :userId")
                .bind("userId", userId).bind("version", version).execute();
        tx.createUpdate("delete from topics where user_id = :userId").bind("userId", userId).execute();
        var insert = tx.prepareBatch("insert into topics (user_id, tag, preference) values (:userId, :tag, :preference)");
        follow.forEach(tag -> insert.bind("userId", userId).bind("tag", tag).bind("preference", FOLLOW).add());
        mute.forEach(tag -> insert.bind("userId", userId).bind("tag", tag).bind("preference", MUTE).add());
        if (insert.size() > 0) {
            insert.execute();
        }
    }

    /** The reader's interests: topics, and the newest {@link Interests#MAX_SOURCES} people followed and rooms joined. */
    public Interests interests(Handle h, UUID userId) {
        var followed = new ArrayList<String>();
        var muted = new ArrayList<String>();
        h.createQuery("select tag, preference from topics where user_id = :userId")
                .bind("userId", userId)
                .map((rs, ctx) -> Map.entry(rs.getString("tag"), rs.getString("preference")))
                .forEach(row -> (FOLLOW.equals(row.getValue()) ? followed : muted).add(row.getKey()));
        // Each the order of its index, so the newest are read first.
        List<UUID> people = h.createQuery("""
                select followee_id from follows where follower_id = :userId
                order by follower_id desc, followed_at desc limit :max""")
                .bind("userId", userId).bind("max", Interests.MAX_SOURCES).mapTo(UUID.class).list();
        List<UUID> rooms = h.createQuery("""
                select room_id from memberships where user_id = :userId and member = true
                order by user_id desc, member desc, changed_at desc limit :max""")
                .bind("userId", userId).bind("max", Interests.MAX_SOURCES).mapTo(UUID.class).list();
        return new Interests(List.copyOf(followed), List.copyOf(muted), people, rooms);
    }
}
