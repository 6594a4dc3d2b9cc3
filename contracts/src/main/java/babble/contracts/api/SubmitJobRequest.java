package babble.contracts.api;

import java.util.UUID;

/**
 * {@code POST /jobs}. {@code kind} says which fields count: {@code export-room} takes {@code roomId} and
 * {@code format} (jsonl or markdown); {@code probe} (a diagnostic job, when the deployment enables it) takes
 * {@code steps}, {@code stepMillis} and {@code failures} (how many attempts fail before one succeeds; -1: all).
 */
public record SubmitJobRequest(String kind, UUID roomId, String format, Integer steps, Integer stepMillis,
                               Integer failures) {
}
