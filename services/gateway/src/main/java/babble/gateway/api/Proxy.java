package babble.gateway.api;

import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.client.ServiceResponse;
import babble.platform.identity.Identity;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Forwards a public call unchanged (method, path, query, body) to the service that owns it, with the caller's
 * signed identity, and writes that service's answer back. Only POSTs with an Idempotency-Key are retried.
 */
public final class Proxy {
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Idempotency-Key", "Accept", "Prefer");
    private static final List<String> FORWARDED_RESPONSE_HEADERS = List.of("Retry-After", "Location", "Cache-Control", "ETag",
            "Preference-Applied", "Idempotent-Replayed", "Content-Disposition",
            // which version of the target answered (the gateway's own name is on the answer until then)
            "Babble-Served-By");

    private static final long DOWNLOAD_RANGE = 1024 * 1024;

    private final String self;

    public Proxy(String self) {
        this.self = self;
    }

    /** Forwards the call and writes the answer; returns the answer too, for a caller that learns from it. */
    public ServiceResponse forward(Context ctx, ServiceClient target, Identity identity) {
        return forward(ctx, target, identity, List.of());
    }

    /** Forwards, also passing the named extra request headers (such as Authorization for logout). */
    public ServiceResponse forward(Context ctx, ServiceClient target, Identity identity, List<String> extraHeaders) {
        String path = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        byte[] body = ctx.bodyAsBytes();
        String method = ctx.method().name();
        boolean retryable = !method.equals("POST") || ctx.header("Idempotency-Key") != null;
        var request = new ServiceRequest(method, path, body.length == 0 ? null : body,
                ctx.contentType() == null ? "application/json" : ctx.contentType(), identity, java.util.Map.of(), retryable);
        for (String name : FORWARDED_REQUEST_HEADERS) {
            request = withHeader(request, ctx, name);
        }
        for (String name : extraHeaders) {
            request = withHeader(request, ctx, name);
        }
        ServiceResponse response = target.send(request);
        write(ctx, response);
        return response;
    }

    public static void write(Context ctx, ServiceResponse response) {
        for (String name : FORWARDED_RESPONSE_HEADERS) {
            response.headers().firstValue(name).ifPresent(v -> ctx.header(name, v));
        }
        ctx.status(response.status());
        if (response.body().length > 0 && response.status() != 204) {
            ctx.contentType(response.contentType()).result(response.body());
        }
    }

    /**
     * Streams a file the target serves by byte ranges (a job's result) to the client, one range at a time: a
     * download of any size holds one range in memory, over the network or the in-memory connector alike.
     */
    public void download(Context ctx, ServiceClient target, Identity identity) throws IOException {
        long from = 0;
        long size;
        OutputStream out = null;
        do {
            var request = ServiceRequest.get(ctx.path(), identity)
                    .withHeader("Range", "bytes=" + from + "-" + (from + DOWNLOAD_RANGE - 1));
            ServiceResponse response = target.send(request);
            if (response.status() != 206) {
                if (out != null) {
                    throw new IOException("the file changed while it was downloaded (" + response.status() + ")");
                }
                write(ctx, response);
                return;
            }
            String range = response.headers().firstValue("Content-Range").orElse("");
            size = Long.parseLong(range.substring(range.lastIndexOf('/') + 1));
            if (out == null) {
                response.headers().firstValue("Content-Disposition").ifPresent(v -> ctx.header("Content-Disposition", v));
                // Streamed with its length: not compressed (a compressed body would not match Content-Length).
                ctx.disableCompression();
                ctx.status(200).contentType(response.contentType()).header("Content-Length", Long.toString(size));
                out = ctx.outputStream();
            }
            out.write(response.body());
            from += response.body().length;
        } while (from < size);
    }

    private static ServiceRequest withHeader(ServiceRequest request, Context ctx, String name) {
        String value = ctx.header(name);
        return value == null ? request : request.withHeader(name, value);
    }

    public String self() {
        return self;
    }
}
