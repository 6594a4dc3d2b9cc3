package babble.jobs.store;

/** The statuses of docs/API.md. */
public final class JobStatus {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    private JobStatus() {
    }

    public static boolean isKnown(String status) {
        return switch (status) {
            case QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED -> true;
            default -> false;
        };
    }
}
