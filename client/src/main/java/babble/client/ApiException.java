package babble.client;

/** The API answered with an error; {@link #response()} has the problem+json body. */
public final class ApiException extends RuntimeException {
    private final ApiResponse response;

    public ApiException(ApiResponse response) {
        super("HTTP " + response.status() + ": " + response.text());
        this.response = response;
    }

    public ApiResponse response() {
        return response;
    }

    public int status() {
        return response.status();
    }
}
