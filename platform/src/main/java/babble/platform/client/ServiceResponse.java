package babble.platform.client;

import babble.platform.json.Json;
import babble.platform.problem.ProblemDetails;
import babble.platform.problem.RemoteProblem;
import babble.platform.problem.Unavailable;
import java.net.http.HttpHeaders;

/** What another service answered: status, headers and the body bytes. */
public record ServiceResponse(String service, int status, HttpHeaders headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String contentType() {
        return headers.firstValue("Content-Type").orElse("application/json");
    }

    /** The body as {@code type} on success; otherwise the remote problem (4xx) or 503 (5xx), thrown. */
    public <T> T as(Class<T> type) {
        requireSuccess();
        return Json.read(body, type);
    }

    public ServiceResponse requireSuccess() {
        if (isSuccess()) {
            return this;
        }
        if (status >= 500) {
            throw new Unavailable(service + " failed to answer (" + status + ")");
        }
        ProblemDetails problem;
        try {
            problem = Json.read(body, ProblemDetails.class);
        } catch (RuntimeException e) {
            problem = new ProblemDetails(ProblemDetails.typeUri("http-" + status), "Error " + status, status,
                    service + " answered " + status, null, null);
        }
        throw new RemoteProblem(problem);
    }
}
