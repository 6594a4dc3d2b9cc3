package babble.contracts.api;

import java.util.List;

/** {@code GET /jobs}: the caller's jobs, newest first; {@code next} is null on the last page. */
public record JobList(List<JobView> jobs, String next) {
}
