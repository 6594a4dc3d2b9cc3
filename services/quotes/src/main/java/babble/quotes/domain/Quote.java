package babble.quotes.domain;

/** A quote as the API shows it; ids are opaque strings to clients. */
public record Quote(String id, String text, String author) {
}
