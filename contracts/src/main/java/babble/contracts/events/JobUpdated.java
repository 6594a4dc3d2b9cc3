package babble.contracts.events;

import babble.contracts.api.JobView;
import java.util.UUID;

/**
 * A job changed status, or made progress (at most about once a second per job). Key: the job id. Gateways turn
 * it into the {@code job} live frame on the owner's sockets.
 */
public record JobUpdated(UUID ownerId, JobView job) {
    public static final String TYPE = "job.updated";
}
