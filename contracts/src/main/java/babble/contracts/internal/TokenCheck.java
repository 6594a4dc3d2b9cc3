package babble.contracts.internal;

/** gateway → users {@code POST /internal/sessions/verify}: is this bearer token a live session? */
public record TokenCheck(String token) {
}
