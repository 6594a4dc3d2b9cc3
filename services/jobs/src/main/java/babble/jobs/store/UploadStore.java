package babble.jobs.store;

import babble.platform.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * SQL for uploads: how far each one got. Every change is conditional on what the caller read (the parts so far, no
 * job yet), so two processes taking parts of one upload can never both move it on.
 */
public final class UploadStore {
    /** An upload as stored. */
    public record StoredUpload(UUID id, UUID ownerId, String ownerName, UUID roomId, String format, int parts,
                               long bytes, long lastPartAt, UUID jobId, Instant createdAt) {
    }

    private static final String COLUMNS =
            "id, owner_id, owner_name, room_id, format, parts, bytes, last_part_at, job_id, created_at";
    private static final RowMapper<StoredUpload> UPLOAD = (rs, ctx) -> new StoredUpload(
            Sql.uuid(rs, "id"), Sql.uuid(rs, "owner_id"), rs.getString("owner_name"), Sql.uuid(rs, "room_id"),
            rs.getString("format"), rs.getInt("parts"), rs.getLong("bytes"), rs.getLong("last_part_at"),
            Sql.uuid(rs, "job_id"), Sql.instant(rs, "created_at"));

    public void insert(Handle tx, StoredUpload upload) {
        tx.createUpdate("""
                        insert into uploads (id, owner_id, owner_name, room_id, format, parts, bytes, last_part_at,
                                             created_at, updated_at)
                        values (:id, :owner, :ownerName, :room, :format, 0, 0, 0, :at, :at)""")
                .bind("id", upload.id()).bind("owner", upload.ownerId()).bind("ownerName", upload.ownerName())
                .bind("room", upload.roomId()).bind("format", upload.format()).bind("at", Sql.utc(upload.createdAt()))
                .execute();
    }

    public Optional<StoredUpload> find(Handle h, UUID id) {
        return h.createQuery("select " + COLUMNS + " from uploads where id = :id").bind("id", id).map(UPLOAD).findOne();
    }

    /**
     * Records part {@code part} (from {@code offset}, ending the file at {@code bytes}); false when the upload is no
     * longer where the caller found it ({@code partsBefore} parts, no job).
     */
    public boolean recordPart(Handle tx, UUID id, int partsBefore, int part, long offset, long bytes, Instant now) {
        return tx.createUpdate("""
                        update uploads set parts = :parts, bytes = :bytes, last_part_at = :offset, updated_at = :now
                        where id = :id and parts = :before and job_id is null""")
                .bind("parts", part + 1).bind("bytes", bytes).bind("offset", offset).bind("now", Sql.utc(now))
                .bind("id", id).bind("before", partsBefore).execute() == 1;
    }

    /** Makes the upload a job's input; false when it already is one's. */
    public boolean attach(Handle tx, UUID id, UUID jobId, Instant now) {
        return tx.createUpdate("update uploads set job_id = :job, updated_at = :now where id = :id and job_id is null")
                .bind("job", jobId).bind("now", Sql.utc(now)).bind("id", id).execute() == 1;
    }

    /**
     * Uploads to delete: those whose job has ended, and those that became no job's input and have not moved since
     * {@code abandonedBefore}.
     */
    public List<UUID> expired(Handle h, Instant abandonedBefore, int limit) {
        return h.createQuery("""
                        select u.id from uploads u left join jobs j on j.id = u.job_id
                        where u.job_id is null and u.updated_at < :before
                           or j.status in ('succeeded', 'failed', 'cancelled')
                        limit :limit""")
                .bind("before", Sql.utc(abandonedBefore)).bind("limit", limit).mapTo(UUID.class).list();
    }

    public void delete(Handle tx, UUID id) {
        tx.createUpdate("delete from uploads where id = :id").bind("id", id).execute();
    }
}
