package babble.contracts.internal;

import java.util.List;
import java.util.UUID;

/**
 * query ← tags, search, recommend {@code POST /internal/posts/lookup}: the posts with these ids as the calling
 * user sees them (answered as a {@code PostList}, in the order asked, leaving out any the user may not read or
 * that are deleted). At most 200 ids.
 */
public record PostLookup(List<UUID> ids) {
    public static final int MAX_IDS = 200;
}
