package babble.contracts.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /jobs/{id}}: a job and where it stands. {@code status} is queued, running, succeeded, failed or
 * cancelled; {@code error} is the last failure (kept while a retry waits); {@code result} is the kind's own
 * summary once it succeeded (an export: file name, bytes, messages).
 */
public record JobView(UUID id, String kind, String status, JobProgress progress, int attempts, String error,
                      Map<String, Object> result, Instant createdAt, Instant startedAt, Instant finishedAt) {
}
