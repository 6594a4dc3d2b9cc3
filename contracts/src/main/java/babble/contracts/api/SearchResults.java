package babble.contracts.api;

import java.util.List;

/** {@code GET /search}: a page of hits, how many match in all, and the cursor of the next page (null at the end). */
public record SearchResults(List<SearchResult> results, long total, String next) {
}
