package babble.jobs.store;

import babble.contracts.api.JobProgress;
import babble.contracts.api.JobView;
import babble.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A job's record as the jobs service keeps it: what the owner sees, and what workers need to run or resume it. */
public record StoredJob(UUID id, UUID ownerId, String kind, String params, String status, long done, Long total,
                        int attempts, int maxAttempts, String error, String result, String checkpoint, long epoch,
                        Instant leaseUntil, Instant runAfter, boolean cancelRequested, String requestHash,
                        Instant createdAt, Instant startedAt, Instant finishedAt) {

    public JsonNode paramsTree() {
        return Json.tree(params);
    }

    /** The kind's checkpoint, or null before the first one. */
    public JsonNode checkpointTree() {
        return checkpoint == null ? null : Json.tree(checkpoint);
    }

    @SuppressWarnings("unchecked")
    public JobView view() {
        return new JobView(id, kind, status, new JobProgress(done, total), attempts, error,
                result == null ? null : Json.read(result, Map.class), createdAt, startedAt, finishedAt);
    }

    public boolean isFinished() {
        return status.equals(JobStatus.SUCCEEDED) || status.equals(JobStatus.FAILED) || status.equals(JobStatus.CANCELLED);
    }
}
