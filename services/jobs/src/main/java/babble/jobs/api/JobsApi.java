package babble.jobs.api;

import babble.contracts.api.JobView;
import babble.contracts.api.SubmitJobRequest;
import babble.jobs.domain.Jobs;
import babble.platform.http.Requests;
import babble.platform.problem.Problem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP for jobs (docs/API.md, "Jobs and imports"): asynchronous request-reply. Submitting answers 202 with
 * where to look ({@code Location}) and when ({@code Retry-After}); with {@code Prefer: wait=N} (RFC 7240) the
 * call waits up to N seconds and answers 201 with the finished job when it finished in time (hybrid).
 */
public final class JobsApi {
    private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,9})\"?", Pattern.CASE_INSENSITIVE);
    private static final int MAX_RANGE = 4 * 1024 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");

    private final Jobs jobs;

    public JobsApi(Jobs jobs) {
        this.jobs = jobs;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/jobs", this::submit);
        routes.get("/api/v1/jobs", this::list);
        routes.get("/api/v1/jobs/{id}", this::get);
        routes.delete("/api/v1/jobs/{id}", this::cancel);
        routes.get("/api/v1/jobs/{id}/result", this::result);
    }

    private void submit(Context ctx) throws InterruptedException {
        var request = Requests.body(ctx, SubmitJobRequest.class);
        var submitted = jobs.submit(Requests.identity(ctx), request, ctx.header("Idempotency-Key"));
        JobView job = submitted.job();
        OptionalInt wait = preferredWait(ctx.header("Prefer"));
        if (wait.isPresent()) {
            ctx.header("Preference-Applied", "wait=" + wait.getAsInt());
            if (!Jobs.isFinished(job) && wait.getAsInt() > 0) {
                job = jobs.await(job.id(), Duration.ofSeconds(wait.getAsInt()));
            }
        }
        if (wait.isPresent() && Jobs.isFinished(job)) {
            answer(ctx, new Jobs.Submitted(job, submitted.created()), 201);
        } else {
            answer(ctx, new Jobs.Submitted(job, submitted.created()), 202);
        }
    }

    /** A submitted job: where to find it, whether an Idempotency-Key named an earlier one, and when to look (202). */
    static void answer(Context ctx, Jobs.Submitted submitted, int status) {
        if (!submitted.created()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.header("Location", "/api/v1/jobs/" + submitted.job().id());
        if (status == 202) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(status).json(submitted.job());
    }

    /** {@code Prefer: wait=N} in seconds, at most 30 (a preference: a malformed one is ignored, per RFC 7240). */
    static OptionalInt preferredWait(String prefer) {
        if (prefer == null) {
            return OptionalInt.empty();
        }
        Matcher m = WAIT.matcher(prefer);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.min(Long.parseLong(m.group(1)), Jobs.MAX_WAIT.toSeconds()));
    }

    private void list(Context ctx) {
        int limit = Requests.limit(ctx, 20, Jobs.MAX_LIMIT);
        ctx.json(jobs.list(Requests.identity(ctx), ctx.queryParam("status"), ctx.queryParam("cursor"), limit));
    }

    private void get(Context ctx) {
        ctx.json(jobs.get(Requests.identity(ctx), Requests.id(ctx, "id", "job")));
    }

    private void cancel(Context ctx) {
        ctx.status(202).json(jobs.cancel(Requests.identity(ctx), Requests.id(ctx, "id", "job")));
    }

    /**
     * The file, whole, or one byte range of at most 4 MiB (the gateway fetches it range by range and streams it
     * on; {@code Content-Range} says what a range answer holds).
     */
    private void result(Context ctx) throws IOException {
        var file = jobs.result(Requests.identity(ctx), Requests.id(ctx, "id", "job"));
        ctx.header("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"");
        ctx.header("Accept-Ranges", "bytes");
        ctx.contentType(file.contentType());
        long size = Files.size(file.path());
        String range = ctx.header("Range");
        if (range == null || size == 0) {
            ctx.header("Content-Length", Long.toString(size));
            ctx.result(Files.newInputStream(file.path()));
            return;
        }
        Matcher m = RANGE.matcher(range.trim());
        long from = m.matches() ? Long.parseLong(m.group(1)) : -1;
        if (from < 0 || from >= size && size > 0) {
            ctx.header("Content-Range", "bytes */" + size);
            throw new Problem(416, "range-not-satisfiable", "Range not satisfiable",
                    "one byte range (bytes=A-B) within the file's " + size + " bytes");
        }
        long to = Math.min(m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2)), size - 1);
        to = Math.min(to, from + MAX_RANGE - 1);
        var bytes = new byte[(int) Math.max(0, to - from + 1)];
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            var buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // reads until the range is filled
            }
        }
        ctx.status(206).header("Content-Range", "bytes " + from + "-" + to + "/" + size).result(bytes);
    }
}
