package babble.contracts.api;

import java.util.List;

/** {@code GET /rooms/{id}/posts}: one page in the asked order; {@code next} is null on the last page. */
public record PostList(List<PostView> posts, String next) {
}
