package babble.jobs.domain;

/** Thrown out of a checkpoint to end the run: the owner cancelled the job, or this worker lost its lease. */
public final class RunStopped extends RuntimeException {
    public enum Why { CANCELLED, LEASE_LOST }

    private final Why why;

    RunStopped(Why why) {
        super(why.name(), null, false, false);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
