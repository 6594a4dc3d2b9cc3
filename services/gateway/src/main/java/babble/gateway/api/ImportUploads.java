package babble.gateway.api;

import babble.contracts.internal.NewUpload;
import babble.contracts.internal.UploadView;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.client.ServiceResponse;
import babble.platform.identity.Identity;
import babble.platform.problem.BadRequest;
import babble.platform.problem.NotFound;
import babble.platform.problem.PayloadTooLarge;
import babble.platform.problem.Problem;
import babble.platform.problem.Unavailable;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/rooms/{id}/imports?format=reddit}: the file in the request body goes to the jobs service as it
 * arrives, in parts of 1 MiB, so a 200 MB upload holds one part in memory here (and the server's 64 KiB limit on
 * bodies read whole does not apply). The jobs service says who may import and how much before any byte is sent,
 * takes each part (a part sent again replaces itself, so retries are safe, whichever jobs process they reach), and
 * makes the finished upload an import job: its answer (202, the job, {@code Location}) is this call's.
 */
public final class ImportUploads {
    /** JSON Lines under both names in use; the file is UTF-8 (a charset, if given, must say so). */
    static final Set<String> CONTENT_TYPES = Set.of("application/x-ndjson", "application/jsonl");
    static final int PART_BYTES = 1024 * 1024;
    /** Uploads this gateway streams at once: each holds a part in memory. */
    static final int MAX_CONCURRENT = 16;

    private final ServiceClient jobs;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);

    public ImportUploads(ServiceClient jobs) {
        this.jobs = jobs;
    }

    public void upload(Context ctx, Identity caller) {
        requireJsonLines(ctx);
        UUID roomId = roomId(ctx.pathParam("id"));
        long declared = ctx.req().getContentLengthLong();
        if (!slots.tryAcquire()) {
            throw new Unavailable("too many uploads through this gateway at the moment", 5);
        }
        try {
            UploadView upload = jobs.send(ServiceRequest.post("/internal/uploads", caller,
                    new NewUpload(roomId, ctx.queryParam("format"), declared < 0 ? null : declared))).as(UploadView.class);
            ServiceResponse refused = sendParts(ctx, caller, upload);
            if (refused != null) {
                Proxy.write(ctx, refused);
                return;
            }
            var finish = ServiceRequest.post("/internal/uploads/" + upload.id() + "/import", caller, null).idempotent();
            String key = ctx.header("Idempotency-Key");
            Proxy.write(ctx, jobs.send(key == null ? finish : finish.withHeader("Idempotency-Key", key)));
        } finally {
            slots.release();
        }
    }

    /** Reads the body part by part and sends each on; answers the jobs service's refusal of one, else null. */
    private ServiceResponse sendParts(Context ctx, Identity caller, UploadView upload) {
        var buffer = new byte[Math.min(PART_BYTES, upload.partBytes())];
        long total = 0;
        InputStream body;
        try {
            body = ctx.req().getInputStream();
        } catch (IOException e) {
            throw new BadRequest("the request body could not be read");
        }
        for (int part = 0; ; part++) {
            int n;
            try {
                n = body.readNBytes(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw new BadRequest("the upload was cut off: " + e.getMessage());
            }
            if (n == 0) {
                return null;
            }
            total += n;
            if (total > upload.maxBytes()) {
                throw new PayloadTooLarge("the file is over " + upload.maxBytes() + " bytes");
            }
            byte[] bytes = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
            var request = new ServiceRequest("PUT", "/internal/uploads/" + upload.id() + "/parts/" + part, bytes,
                    "application/octet-stream", caller, Map.of(), true);
            ServiceResponse response = jobs.send(request);
            if (!response.isSuccess()) {
                return response;
            }
            if (n < buffer.length) {
                return null; // the body ended inside this part
            }
        }
    }

    /** 415 unless the body is JSON Lines in UTF-8, not compressed. */
    private static void requireJsonLines(Context ctx) {
        String header = ctx.header("Content-Type");
        String[] parts = header == null ? new String[] {""} : header.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean utf8 = true;
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset")) {
                utf8 = param.length == 2 && param[1].strip().replace("\"", "").equalsIgnoreCase("utf-8");
            }
        }
        String encoding = ctx.header("Content-Encoding");
        if (!CONTENT_TYPES.contains(type) || !utf8 || encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "the file must be JSON Lines in UTF-8, uncompressed: Content-Type application/x-ndjson");
        }
    }

    private static UUID roomId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw NotFound.of("room", raw);
        }
    }
}
