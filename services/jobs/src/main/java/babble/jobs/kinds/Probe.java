package babble.jobs.kinds;

import babble.contracts.api.SubmitJobRequest;
import babble.jobs.domain.JobKind;
import babble.jobs.domain.JobRun;
import babble.platform.identity.Identity;
import babble.platform.problem.InvalidField;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code probe}: a diagnostic job that does nothing but take steps (each a checkpoint), sleeping between them,
 * and fails on purpose on the attempts it is told to. It measures the queue (a 0-step probe is the cheapest
 * job there is) and shows retries, backoff, cancel and resumption. Only where the deployment enables it
 * ({@code BABBLE_JOBS_PROBE=true}: tests and benchmarks).
 */
public final class Probe implements JobKind {
    public static final String NAME = "probe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> accept(Identity caller, SubmitJobRequest request) {
        int steps = within("steps", request.steps(), 0, 0, 100_000);
        int stepMillis = within("stepMillis", request.stepMillis(), 0, 0, 60_000);
        int failures = within("failures", request.failures(), 0, -1, 20);
        return Map.of("steps", steps, "stepMillis", stepMillis, "failures", failures);
    }

    @Override
    public Map<String, Object> run(JobRun run) throws InterruptedException {
        int steps = run.params().get("steps").asInt();
        int stepMillis = run.params().get("stepMillis").asInt();
        int failures = run.params().get("failures").asInt();
        int start = run.checkpoint() == null ? 0 : run.checkpoint().get("step").asInt();
        if (failures == -1 || run.attempt() <= failures) {
            throw new IllegalStateException("probe failure on attempt " + run.attempt()
                    + (failures == -1 ? " (asked to fail every attempt)" : " (asked to fail " + failures + ")"));
        }
        for (int step = start; step < steps; step++) {
            Thread.sleep(stepMillis);
            run.checkpoint(Map.of("step", step + 1), step + 1, (long) steps);
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("steps", steps);
        result.put("resumedAt", start);
        result.put("attempt", run.attempt());
        return result;
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new InvalidField(field, "must be between " + min + " and " + max);
        }
        return v;
    }
}
