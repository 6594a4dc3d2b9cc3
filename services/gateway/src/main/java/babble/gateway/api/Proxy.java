package babble.gateway.api;

import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.client.ServiceResponse;
import babble.platform.identity.Identity;
import io.javalin.http.Context;
import java.util.List;

/**
 * Forwards a public call unchanged (method, path, query, body) to the service that owns it, with the caller's
 * signed identity, and writes that service's answer back. Only POSTs with an Idempotency-Key are retried.
 */
public final class Proxy {
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Idempotency-Key", "Accept");
    private static final List<String> FORWARDED_RESPONSE_HEADERS = List.of("Retry-After", "Location", "Cache-Control", "ETag");

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

    private static ServiceRequest withHeader(ServiceRequest request, Context ctx, String name) {
        String value = ctx.header(name);
        return value == null ? request : request.withHeader(name, value);
    }

    public String self() {
        return self;
    }
}
