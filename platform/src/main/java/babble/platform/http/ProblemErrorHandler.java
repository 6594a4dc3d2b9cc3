package babble.platform.http;

import babble.platform.json.Json;
import babble.platform.problem.Problem;
import babble.platform.problem.ProblemDetails;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any route runs (headers over the limit: 431, a URI too long: 414, a request
 * it cannot parse: 400), as problem+json like every other error, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDetails.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(status, message, request.getHttpURI().getPath())), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemDetails.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason, null));
    }

    private static byte[] body(int status, String message, String path) {
        Problem problem = switch (status) {
            case 414 -> new Problem(414, "uri-too-long", "URI too long", "the request's URI is over the size limit");
            case 431 -> new Problem(431, "headers-too-large", "Request headers too large",
                    "the request's headers are over the size limit");
            default -> new Problem(status, status == 400 ? "bad-request" : "http-" + status,
                    status == 400 ? "Bad request" : "HTTP " + status,
                    message == null || message.isBlank() ? "the request could not be read" : message);
        };
        return Json.bytes(problem.details(path));
    }
}
