package babble.jobs.domain;

import babble.contracts.api.SubmitJobRequest;
import babble.platform.identity.Identity;
import java.util.Map;

/**
 * One kind of job. {@link #accept} answers the submit (who may, with what), {@link #run} does the work and
 * resumes from the run's checkpoint when an earlier run stopped half-way. A kind makes its effects happen
 * exactly once by writing them only up to what a checkpoint records (see {@link JobRun#checkpoint}).
 */
public interface JobKind {
    String name();

    /**
     * Checks a submission and returns the parameters to keep (JSON values). Throws a problem (403, 404, 422) to
     * refuse it; nothing is written then.
     */
    Map<String, Object> accept(Identity caller, SubmitJobRequest request);

    /**
     * Runs the job (or resumes it) and returns its result (JSON values). A {@link babble.platform.problem.Problem}
     * with a 4xx status or a {@link PermanentFailure} ends the job failed at once; any other exception is
     * retried with backoff until the last attempt.
     */
    Map<String, Object> run(JobRun run) throws Exception;

    /** A failure that another attempt cannot fix. */
    final class PermanentFailure extends RuntimeException {
        public PermanentFailure(String message) {
            super(message, null, false, false);
        }
    }
}
