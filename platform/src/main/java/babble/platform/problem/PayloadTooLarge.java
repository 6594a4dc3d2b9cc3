package babble.platform.problem;

/** 413 Request body too large. */
public final class PayloadTooLarge extends Problem {
    public PayloadTooLarge(String detail) {
        super(413, "payload-too-large", "Request body too large", detail);
    }
}
