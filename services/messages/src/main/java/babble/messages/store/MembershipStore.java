package babble.messages.store;

import babble.contracts.internal.Membership;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for this service's copy of memberships. */
public final class MembershipStore {

    /** A copied membership: whether the user is in the room, as of the user's membership version {@code userVersion}. */
    public record Copy(boolean member, long userVersion) {
    }

    public Optional<Copy> find(Handle h, UUID roomId, UUID userId) {
        return h.createQuery("select member, user_version from memberships where room_id = :roomId and user_id = :userId")
                .bind("roomId", roomId).bind("userId", userId)
                .map((rs, ctx) -> new Copy(rs.getBoolean("member"), rs.getLong("user_version")))
                .findOne();
    }

    /** A member's username as the rooms service's events named it (kept for resolving mentions). */
    public void username(Handle tx, UUID roomId, UUID userId, String username) {
        tx.createUpdate("update memberships set username = :username where room_id = :roomId and user_id = :userId")
                .bind("username", username).bind("roomId", roomId).bind("userId", userId).execute();
    }

    /** Of the given usernames, those of the room's members now, with their ids (one query). */
    public java.util.Map<String, UUID> members(Handle h, UUID roomId, java.util.Collection<String> usernames) {
        if (usernames.isEmpty()) {
            return java.util.Map.of();
        }
        return h.createQuery("select username, user_id from memberships where room_id = :roomId and member"
                        + " and username in (<names>)")
                .bind("roomId", roomId).bindList("names", java.util.List.copyOf(usernames))
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("username"), rs.getObject("user_id", UUID.class)))
                .stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue,
                        (a, b) -> a));
    }

    /** Records that the room exists (its seq starts at 0). */
    public void roomExists(Handle tx, UUID roomId) {
        MessageStore.ensureRoom(tx, roomId);
    }

    /**
     * Records a membership unless a newer one (a higher room version) is already recorded; the same room version
     * seen again (an answer of the rooms service after the event, say) can only raise the user version it holds at.
     */
    public void apply(Handle tx, Membership m) {
        roomExists(tx, m.roomId());
        int inserted = tx.createUpdate("""
                insert into memberships (room_id, user_id, member, version, user_version)
                values (:roomId, :userId, :member, :version, :userVersion)
                on conflict do nothing""")
                .bind("roomId", m.roomId()).bind("userId", m.userId()).bind("member", m.member())
                .bind("version", m.version()).bind("userVersion", m.userVersion()).execute();
        if (inserted == 0) {
            tx.createUpdate("""
                    update memberships
                    set member = case when version < :version then :member else member end,
                        user_version = greatest(user_version, :userVersion),
                        version = greatest(version, :version)
                    where room_id = :roomId and user_id = :userId and version <= :version""")
                    .bind("roomId", m.roomId()).bind("userId", m.userId()).bind("member", m.member())
                    .bind("version", m.version()).bind("userVersion", m.userVersion())
                    .execute();
        }
    }
}
