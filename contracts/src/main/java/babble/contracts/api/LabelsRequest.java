package babble.contracts.api;

import java.util.List;

/** {@code PUT /posts/{id}/labels}: the caller's private labels on a post (the whole set; empty removes them). */
public record LabelsRequest(List<String> labels) {
}
