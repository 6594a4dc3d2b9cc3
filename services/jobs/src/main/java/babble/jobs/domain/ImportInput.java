package babble.jobs.domain;

import java.util.UUID;

/**
 * The parameters of an {@code import-posts} job: the uploaded file it reads (its name in the jobs' files directory
 * and its length), the room the posts go to and their format, and the owner's username (posts are written as them).
 */
public record ImportInput(UUID uploadId, String file, long bytes, UUID roomId, String format, String username) {
    public static final String KIND = "import-posts";
}
