package babble.quotes.domain;

import java.util.List;

/** {@code GET /quotes}: one page and the cursor of the next (null on the last page). */
public record QuotePage(List<Quote> quotes, String next) {
}
