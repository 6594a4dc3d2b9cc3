package babble.platform.problem;

/** 415 Unsupported media type: the body says it is something other than the JSON the route reads. */
public final class UnsupportedMediaType extends Problem {
    public UnsupportedMediaType(String detail) {
        super(415, "unsupported-media-type", "Unsupported media type", detail);
    }
}
