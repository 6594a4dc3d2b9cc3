package babble.messages.store;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for this service's copy of memberships. */
public final class MembershipStore {

    public boolean isMember(Handle h, UUID roomId, UUID userId) {
        return h.createQuery("select member from memberships where room_id = :roomId and user_id = :userId")
                .bind("roomId", roomId).bind("userId", userId).mapTo(Boolean.class).findOne().orElse(false);
    }

    /** Records that the room exists (its seq starts at 0). */
    public void roomExists(Handle tx, UUID roomId) {
        MessageStore.ensureRoom(tx, roomId);
    }

    /** Records a membership state unless a newer one (higher version) is already recorded. */
    public void apply(Handle tx, UUID roomId, UUID userId, boolean member, long version) {
        roomExists(tx, roomId);
        int inserted = tx.createUpdate("""
                insert into memberships (room_id, user_id, member, version) values (:roomId, :userId, :member, :version)
                on conflict do nothing""")
                .bind("roomId", roomId).bind("userId", userId).bind("member", member).bind("version", version).execute();
        if (inserted == 0) {
            tx.createUpdate("""
                    update memberships set member = :member, version = :version
                    where room_id = :roomId and user_id = :userId and version < :version""")
                    .bind("roomId", roomId).bind("userId", userId).bind("member", member).bind("version", version)
                    .execute();
        }
    }
}
