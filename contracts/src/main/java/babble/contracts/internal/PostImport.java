package babble.contracts.internal;

import java.util.List;
import java.util.UUID;

/**
 * jobs → posts {@code POST /internal/rooms/{id}/posts/import}, as the room's owner: posts written at once as
 * approved, in one transaction; a post whose key the room already has is left as it is. {@code importId} names
 * the batch (the job's id and where the batch starts in the file, so the same batch always has the same id) and
 * is kept with each post: a batch sent again after a worker died counts its posts as created by it, not as
 * already there, while a key repeated later in the same file counts as already there.
 */
public record PostImport(UUID importId, List<ImportedPost> posts) {
    public static final int MAX_POSTS = 1000;
}
