package babble.jobs.events;

import babble.contracts.events.JobUpdated;
import babble.jobs.store.StoredJob;
import babble.platform.outbox.Outbox;
import org.jdbi.v3.core.Handle;

/** What the jobs service tells the others, inside the change's transaction: every status change and progress. */
public final class JobEvents {
    private final Outbox outbox;

    public JobEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void updated(Handle tx, StoredJob job) {
        outbox.add(tx, JobUpdated.TYPE, job.id().toString(), new JobUpdated(job.ownerId(), job.view()));
    }
}
