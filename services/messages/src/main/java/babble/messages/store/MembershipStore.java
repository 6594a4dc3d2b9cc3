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
