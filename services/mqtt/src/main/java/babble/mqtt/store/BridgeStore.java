package babble.mqtt.store;

import babble.platform.db.Sql;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for bridged rooms. */
public final class BridgeStore {

    public Optional<Boolean> enabled(Handle h, UUID roomId) {
        return h.createQuery("select enabled from bridged_rooms where room_id = :room").bind("room", roomId)
                .mapTo(Boolean.class).findOne();
    }

    /** Turns the bridge on (publishing from after {@code fromSeq}) or off. */
    public void set(Handle tx, UUID roomId, boolean enabled, long fromSeq, UUID by, Instant at) {
        int updated = tx.createUpdate("""
                        update bridged_rooms set enabled = :enabled, changed_by = :by, changed_at = :at,
                               last_seq = case when :enabled and not enabled then :from else last_seq end
                        where room_id = :room""")
                .bind("enabled", enabled).bind("by", by).bind("at", Sql.utc(at)).bind("from", fromSeq)
                .bind("room", roomId).execute();
        if (updated == 0) {
            tx.createUpdate("""
                            insert into bridged_rooms (room_id, enabled, last_seq, changed_by, changed_at)
                            values (:room, :enabled, :from, :by, :at)""")
                    .bind("room", roomId).bind("enabled", enabled).bind("from", fromSeq).bind("by", by)
                    .bind("at", Sql.utc(at)).execute();
        }
    }

    /** The last published seq of each bridged (enabled) room among {@code roomIds}. */
    public Map<UUID, Long> bridged(Handle h, Collection<UUID> roomIds) {
        var result = new HashMap<UUID, Long>();
        h.createQuery("select room_id, last_seq from bridged_rooms where enabled and room_id in (<rooms>)")
                .bindList("rooms", roomIds)
                .map((rs, ctx) -> Map.entry(Sql.uuid(rs, "room_id"), rs.getLong("last_seq")))
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** Records what was published; never moves back (a late, repeated batch changes nothing). */
    public void advance(Handle tx, UUID roomId, long seq) {
        tx.createUpdate("update bridged_rooms set last_seq = :seq where room_id = :room and last_seq < :seq")
                .bind("seq", seq).bind("room", roomId).execute();
    }
}
