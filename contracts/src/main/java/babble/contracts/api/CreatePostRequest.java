package babble.contracts.api;

import java.util.List;

/** {@code POST /rooms/{id}/posts}. */
public record CreatePostRequest(String title, String body, String url, List<String> tags) {
}
