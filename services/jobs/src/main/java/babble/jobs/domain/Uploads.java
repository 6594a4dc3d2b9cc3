package babble.jobs.domain;

import babble.contracts.internal.NewUpload;
import babble.contracts.internal.UploadView;
import babble.jobs.store.JobFiles;
import babble.jobs.store.UploadStore;
import babble.jobs.store.UploadStore.StoredUpload;
import babble.platform.Ids;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.Conflict;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.problem.PayloadTooLarge;
import babble.platform.problem.Unavailable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Files sent in parts to become a job's input (an import's file, streamed by the gateway): who may start one (the
 * room's owner, checked before any byte is sent), parts written in order to the files directory every jobs process
 * sees (any process may take any part), and the job the finished upload becomes. The sweep deletes an upload once
 * its job has ended, or when it was abandoned.
 */
public final class Uploads {
    public static final int PART_BYTES = 1024 * 1024;
    /** A part may be a little larger than {@link #PART_BYTES}, so a sender's rounding never fails it. */
    public static final int MAX_PART_BYTES = PART_BYTES + 64 * 1024;
    public static final String REDDIT = "reddit";

    /** Whether a user owns a room (404 when there is no such room). */
    @FunctionalInterface
    public interface RoomOwners {
        boolean owns(UUID roomId, UUID userId);
    }

    private final Database db;
    private final UploadStore store;
    private final JobFiles files;
    private final Jobs jobs;
    private final RoomOwners owners;
    private final JobSettings settings;
    private final Clock clock;

    public Uploads(Database db, UploadStore store, JobFiles files, Jobs jobs, RoomOwners owners, JobSettings settings,
                   Clock clock) {
        this.db = db;
        this.store = store;
        this.files = files;
        this.jobs = jobs;
        this.owners = owners;
        this.settings = settings;
        this.clock = clock;
    }

    public UploadView start(Identity caller, NewUpload request) {
        UUID owner = caller.requireUser();
        if (request.roomId() == null) {
            throw new InvalidField("roomId", "is required");
        }
        if (!REDDIT.equals(request.format())) {
            throw new InvalidField("format", "must be " + REDDIT);
        }
        if (!owners.owns(request.roomId(), owner)) {
            throw new Forbidden("only the room's owner may import posts into it");
        }
        if (request.size() != null && request.size() > settings.uploadMaxBytes()) {
            throw tooLarge();
        }
        var upload = new StoredUpload(Ids.newId(), owner, caller.username(), request.roomId(), request.format(), 0, 0,
                0, null, clock.instant());
        db.useTransaction(tx -> store.insert(tx, upload));
        return new UploadView(upload.id(), PART_BYTES, settings.uploadMaxBytes());
    }

    /**
     * Writes part {@code part}: the next one, or the last one again (a retry, which replaces it). Any other number
     * is 409, since parts go in order.
     */
    public void part(Identity caller, UUID id, int part, InputStream body) {
        StoredUpload upload = own(caller, id);
        if (upload.jobId() != null) {
            throw new Conflict("the upload is already the input of job " + upload.jobId());
        }
        long offset;
        if (part == upload.parts()) {
            offset = upload.bytes();
        } else if (part == upload.parts() - 1) {
            offset = upload.lastPartAt();
        } else {
            throw new Conflict("parts go in order: the next is part " + upload.parts());
        }
        long left = settings.uploadMaxBytes() - offset;
        long limit = Math.min(MAX_PART_BYTES, left);
        long written;
        try {
            written = files.writeAt(files.uploadName(id), offset, body, limit);
        } catch (IOException e) {
            throw new Unavailable("the part could not be stored: " + e.getMessage(), 1);
        }
        if (written > limit) {
            throw limit == left ? tooLarge() : new PayloadTooLarge("a part is at most " + MAX_PART_BYTES + " bytes");
        }
        if (!db.inTransaction(tx -> store.recordPart(tx, id, upload.parts(), part, offset, offset + written, clock.instant()))) {
            throw new Conflict("the upload changed while this part was written; send it again");
        }
    }

    /**
     * Makes the upload the input of an {@code import-posts} job owned by the caller. Asking again for the same upload
     * answers the same job; an Idempotency-Key that names an earlier import of the same file answers that one.
     */
    public Jobs.Submitted importAsJob(Identity caller, UUID id, String idempotencyKey) {
        UUID owner = caller.requireUser();
        StoredUpload upload = own(caller, id);
        if (upload.jobId() != null) {
            return new Jobs.Submitted(jobs.get(caller, upload.jobId()), false);
        }
        Jobs.checkKey(idempotencyKey);
        if (upload.bytes() == 0) {
            throw new InvalidField("body", "the file to import is empty");
        }
        String file = files.uploadName(id);
        String hash;
        try {
            if (Files.size(files.path(file)) != upload.bytes()) {
                throw new Conflict("the upload is not whole (a part was refused); send the file again");
            }
            files.force(file);
            hash = idempotencyKey == null ? null : Jobs.hash(ImportInput.KIND + "|" + upload.roomId() + "|"
                    + upload.format() + "|" + digest(file));
        } catch (IOException e) {
            throw new Unavailable("the upload could not be read: " + e.getMessage(), 1);
        }
        var earlier = jobs.earlier(owner, idempotencyKey, hash);
        if (earlier.isPresent()) {
            discard(id);
            return earlier.get();
        }
        var input = new ImportInput(id, file, upload.bytes(), upload.roomId(), upload.format(), upload.ownerName());
        @SuppressWarnings("unchecked")
        Map<String, Object> params = Json.convert(Json.toTree(input), Map.class);
        Jobs.Submitted submitted;
        try {
            submitted = jobs.create(owner, ImportInput.KIND, params, idempotencyKey, hash,
                    (tx, jobId) -> store.attach(tx, id, jobId, clock.instant()));
        } catch (Conflict raced) {
            // The same upload made a job at the same moment (a retried call): that job is the answer.
            UUID other = own(caller, id).jobId();
            if (other == null) {
                throw raced;
            }
            return new Jobs.Submitted(jobs.get(caller, other), false);
        }
        if (!submitted.created()) {
            discard(id); // the same key at the same moment: the other request's upload is the input
        }
        return submitted;
    }

    /** Deletes uploads whose job has ended and uploads abandoned for the upload TTL; answers how many. */
    public int expire() {
        var expired = db.withHandle(h -> store.expired(h, clock.instant().minus(settings.uploadTtl()), 100));
        expired.forEach(this::discard);
        return expired.size();
    }

    private void discard(UUID id) {
        files.delete(files.uploadName(id));
        db.useTransaction(tx -> store.delete(tx, id));
    }

    private StoredUpload own(Identity caller, UUID id) {
        UUID owner = caller.requireUser();
        return db.withHandle(h -> store.find(h, id)).filter(u -> u.ownerId().equals(owner))
                .orElseThrow(() -> new NotFound("no such upload"));
    }

    private PayloadTooLarge tooLarge() {
        return new PayloadTooLarge("the file is over " + settings.uploadMaxBytes() + " bytes");
    }

    private String digest(String file) throws IOException {
        try (var in = new DigestInputStream(Files.newInputStream(files.path(file)), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
