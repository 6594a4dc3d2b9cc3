package babble.jobs.api;

import babble.contracts.internal.NewUpload;
import babble.jobs.domain.Uploads;
import babble.platform.http.Requests;
import babble.platform.problem.NotFound;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * HTTP for uploads (internal: the gateway streams a public upload here in parts): start one, send its parts in
 * order (a part sent again replaces itself, so a retry is safe), then make it an import job.
 */
public final class UploadsApi {
    private final Uploads uploads;

    public UploadsApi(Uploads uploads) {
        this.uploads = uploads;
    }

    public void register(RoutesConfig routes) {
        routes.post("/internal/uploads", this::start);
        routes.put("/internal/uploads/{id}/parts/{part}", this::part);
        routes.post("/internal/uploads/{id}/import", this::importAsJob);
    }

    private void start(Context ctx) {
        ctx.status(201).json(uploads.start(Requests.identity(ctx), Requests.body(ctx, NewUpload.class)));
    }

    /** The part's bytes are written as they arrive, never held whole (its limit is the upload's, not the server's). */
    private void part(Context ctx) {
        var identity = Requests.identity(ctx);
        var id = Requests.id(ctx, "id", "upload");
        int part = partNumber(ctx.pathParam("part"));
        uploads.part(identity, id, part, Requests.bodyStream(ctx, Uploads.MAX_PART_BYTES));
        ctx.status(204);
    }

    private void importAsJob(Context ctx) {
        var submitted = uploads.importAsJob(Requests.identity(ctx), Requests.id(ctx, "id", "upload"),
                ctx.header("Idempotency-Key"));
        JobsApi.answer(ctx, submitted, 202);
    }

    private static int partNumber(String raw) {
        try {
            int part = Integer.parseInt(raw);
            if (part >= 0) {
                return part;
            }
        } catch (NumberFormatException e) {
            // not a part number: names nothing
        }
        throw new NotFound("no part " + raw + " (parts are numbered from 0)");
    }
}
