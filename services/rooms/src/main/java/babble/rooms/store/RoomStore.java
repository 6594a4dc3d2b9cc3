package babble.rooms.store;

import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import babble.contracts.internal.Membership;
import babble.contracts.internal.RoomAccess;
import babble.platform.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for rooms and members. */
public final class RoomStore {
    private static final String ROOM_COLUMNS =
            "r.id, r.name, r.topic, r.created_by, r.created_at, r.member_count, r.visibility, r.dm_key";
    private static final RowMapper<RoomView> ROOM = (rs, ctx) -> new RoomView(
            Sql.uuid(rs, "id"), rs.getString("name"), rs.getString("topic"), Sql.uuid(rs, "created_by"),
            Sql.instant(rs, "created_at"), rs.getInt("member_count"), rs.getString("visibility"),
            rs.getString("dm_key") != null);
    private static final RowMapper<UserView> MEMBER = (rs, ctx) -> new UserView(
            Sql.uuid(rs, "user_id"), rs.getString("username"), rs.getString("display_name"));

    public void insert(Handle tx, RoomView room) {
        insert(tx, room, null);
    }

    /**
     * Inserts a room; with a {@code dmKey}, a direct room, unless that pair's already exists (then nothing is
     * inserted and false is answered: two first messages racing make one room).
     */
    public boolean insert(Handle tx, RoomView room, String dmKey) {
        return tx.createUpdate("""
                insert into rooms (id, name, topic, created_by, created_at, member_count, membership_version, visibility,
                                   dm_key)
                values (:id, :name, :topic, :createdBy, :createdAt, :memberCount, :memberCount, :visibility, :dmKey)
                on conflict do nothing""")
                .bind("visibility", room.visibility())
                .bind("dmKey", dmKey)
                .bind("id", room.id())
                .bind("name", room.name())
                .bind("topic", room.topic())
                .bind("createdBy", room.createdBy())
                .bind("createdAt", Sql.utc(room.createdAt()))
                .bind("memberCount", room.memberCount())
                .execute() == 1;
    }

    /** The direct room of a pair of users, row-locked until the transaction ends. */
    public Optional<RoomView> lockDirect(Handle tx, String dmKey) {
        return tx.createQuery("select " + ROOM_COLUMNS + " from rooms r where r.dm_key = :key for update")
                .bind("key", dmKey).map(ROOM).findOne();
    }

    /** Records an invitation (again: nothing changes). */
    public void invite(Handle tx, UUID roomId, UUID userId, UUID by, Instant at) {
        tx.createUpdate("""
                insert into invites (room_id, user_id, invited_by, invited_at) values (:roomId, :userId, :by, :at)
                on conflict do nothing""")
                .bind("roomId", roomId).bind("userId", userId).bind("by", by).bind("at", Sql.utc(at)).execute();
    }

    public boolean isInvited(Handle h, UUID roomId, UUID userId) {
        return h.createQuery("select count(*) from invites where room_id = :roomId and user_id = :userId")
                .bind("roomId", roomId).bind("userId", userId).mapTo(Integer.class).one() > 0;
    }

    /** An invitation is used up by joining. */
    public void removeInvite(Handle tx, UUID roomId, UUID userId) {
        tx.createUpdate("delete from invites where room_id = :roomId and user_id = :userId")
                .bind("roomId", roomId).bind("userId", userId).execute();
    }

    public Optional<RoomView> find(Handle h, UUID id) {
        return h.createQuery("select " + ROOM_COLUMNS + " from rooms r where r.id = :id").bind("id", id)
                .map(ROOM).findOne();
    }

    /** The room, row-locked until the transaction ends: membership changes of one room happen one at a time. */
    public Optional<RoomView> lock(Handle tx, UUID id) {
        return tx.createQuery("select " + ROOM_COLUMNS + " from rooms r where r.id = :id for update").bind("id", id)
                .map(ROOM).findOne();
    }

    public List<RoomView> page(Handle h, UUID after, int limit) {
        var query = after == null
                ? h.createQuery("select " + ROOM_COLUMNS + " from rooms r where r.visibility = 'public'"
                        + " order by r.id limit :limit")
                : h.createQuery("select " + ROOM_COLUMNS + " from rooms r where r.visibility = 'public' and r.id > :after"
                        + " order by r.id limit :limit").bind("after", after);
        return query.bind("limit", limit).map(ROOM).list();
    }

    public void addMember(Handle tx, UUID roomId, UserView user, Instant at) {
        tx.createUpdate("""
                insert into members (room_id, user_id, username, display_name, joined_at)
                values (:roomId, :userId, :username, :displayName, :at)""")
                .bind("roomId", roomId)
                .bind("userId", user.id())
                .bind("username", user.username())
                .bind("displayName", user.displayName())
                .bind("at", Sql.utc(at))
                .execute();
    }

    public boolean removeMember(Handle tx, UUID roomId, UUID userId) {
        return tx.createUpdate("delete from members where room_id = :roomId and user_id = :userId")
                .bind("roomId", roomId).bind("userId", userId).execute() > 0;
    }

    public boolean isMember(Handle h, UUID roomId, UUID userId) {
        return h.createQuery("select count(*) from members where room_id = :roomId and user_id = :userId")
                .bind("roomId", roomId).bind("userId", userId).mapTo(Integer.class).one() > 0;
    }

    /** Applies a join (+1) or leave (-1) to the room's count and returns the new membership version. */
    public long countMemberChange(Handle tx, UUID roomId, int delta) {
        tx.createUpdate("""
                update rooms set member_count = member_count + :delta, membership_version = membership_version + 1
                where id = :id""")
                .bind("delta", delta).bind("id", roomId).execute();
        return membershipVersion(tx, roomId);
    }

    public long membershipVersion(Handle h, UUID roomId) {
        return h.createQuery("select membership_version from rooms where id = :id").bind("id", roomId)
                .mapTo(Long.class).one();
    }

    /** Counts one membership change of the user (the row stays locked until commit) and returns the new version. */
    public long countUserChange(Handle tx, UUID userId) {
        tx.createUpdate("insert into user_membership_versions (user_id, version) values (:userId, 0) on conflict do nothing")
                .bind("userId", userId).execute();
        tx.createUpdate("update user_membership_versions set version = version + 1 where user_id = :userId")
                .bind("userId", userId).execute();
        return userVersion(tx, userId);
    }

    public long userVersion(Handle h, UUID userId) {
        return h.createQuery("select version from user_membership_versions where user_id = :userId")
                .bind("userId", userId).mapTo(Long.class).findOne().orElse(0L);
    }

    /** Whether the user is in the room, with both versions, read in one statement (one consistent snapshot). */
    public Optional<Membership> membership(Handle h, UUID roomId, UUID userId) {
        return h.createQuery("""
                        select r.membership_version,
                               exists (select 1 from members m where m.room_id = r.id and m.user_id = :userId) as member,
                               coalesce((select v.version from user_membership_versions v where v.user_id = :userId), 0)
                                   as user_version
                        from rooms r where r.id = :roomId""")
                .bind("roomId", roomId).bind("userId", userId)
                .map((rs, ctx) -> new Membership(roomId, userId, rs.getBoolean("member"), rs.getLong("membership_version"),
                        rs.getLong("user_version")))
                .findOne();
    }

    /** Whether the user is in the room and owns it (created it), and whether it is private; empty when it does not exist. */
    public Optional<RoomAccess> access(Handle h, UUID roomId, UUID userId) {
        return h.createQuery("""
                        select r.created_by, r.visibility, r.dm_key,
                               exists (select 1 from members m where m.room_id = r.id and m.user_id = :userId) as member
                        from rooms r where r.id = :roomId""")
                .bind("roomId", roomId).bind("userId", userId)
                .map((rs, ctx) -> new RoomAccess(roomId, userId, rs.getBoolean("member"),
                        // a direct room has no owner: neither of its two users moderates the other
                        userId.equals(Sql.uuid(rs, "created_by")) && rs.getString("dm_key") == null,
                        RoomView.PRIVATE.equals(rs.getString("visibility"))))
                .findOne();
    }

    public List<UserView> members(Handle h, UUID roomId, UUID after, int limit) {
        var query = after == null
                ? h.createQuery("""
                        select user_id, username, display_name from members where room_id = :roomId
                        order by room_id, user_id limit :limit""")
                : h.createQuery("""
                        select user_id, username, display_name from members where room_id = :roomId and user_id > :after
                        order by room_id, user_id limit :limit""").bind("after", after);
        return query.bind("roomId", roomId).bind("limit", limit).map(MEMBER).list();
    }

    public List<RoomView> roomsOf(Handle h, UUID userId, int limit) {
        return h.createQuery("select " + ROOM_COLUMNS
                        + " from members m join rooms r on r.id = m.room_id where m.user_id = :userId"
                        + " order by r.id limit :limit")
                .bind("userId", userId).bind("limit", limit).map(ROOM).list();
    }
}
