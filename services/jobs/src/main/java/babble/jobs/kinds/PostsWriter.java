package babble.jobs.kinds;

import babble.contracts.internal.ImportedPost;
import babble.contracts.internal.PostImport;
import babble.contracts.internal.PostImportResult;
import babble.platform.client.ServiceClient;
import babble.platform.client.ServiceRequest;
import babble.platform.identity.Identity;
import java.util.List;
import java.util.UUID;

/** What an import writes through the posts service: a batch of posts, as the room's owner. */
public final class PostsWriter {
    private final ServiceClient posts;

    public PostsWriter(ServiceClient posts) {
        this.posts = posts;
    }

    /** Safe to repeat (the posts service makes each post once by its key), so a lost answer is retried. */
    public PostImportResult write(UUID roomId, Identity owner, UUID importId, List<ImportedPost> batch) {
        return posts.send(ServiceRequest.post("/internal/rooms/" + roomId + "/posts/import", owner,
                new PostImport(importId, batch)).idempotent()).as(PostImportResult.class);
    }
}
