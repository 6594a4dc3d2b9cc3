package babble.search.domain;

import babble.contracts.api.CommentView;
import babble.contracts.api.MessageView;
import babble.contracts.api.PostView;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/**
 * What the index knows of one post, comment or message, kept in the item's own document so that events of the
 * three streams can arrive in any order: the newest moderation decision ({@code status} at {@code statusVersion},
 * -1 before any), whether the post was deleted (a tombstone that outlives any later approval; a comment carries
 * its post's), the vote score at {@code votesVersion}, the content as last seen (dropped once deleted), and
 * whether it is {@code visible} to searches now.
 */
public record ItemState(String kind, UUID id, UUID roomId, UUID postId, String status, long statusVersion,
                        boolean deleted, long votes, long votesVersion, boolean visible, PostView post,
                        CommentView comment, MessageView message) {

    public static final String POST = "post";
    public static final String COMMENT = "comment";
    public static final String MESSAGE = "message";
    public static final String APPROVED = "approved";

    /** A post the index has heard nothing of yet. */
    public static ItemState newPost(UUID id, UUID roomId) {
        return new ItemState(POST, id, roomId, null, null, -1, false, 0, -1, false, null, null, null);
    }

    public static ItemState newComment(UUID id, UUID postId, UUID roomId) {
        return new ItemState(COMMENT, id, roomId, postId, null, -1, false, 0, -1, false, null, null, null);
    }

    /** A chat message: stored once with its seq, never moderated, so searchable as soon as it is seen. */
    /** A chat message as of its room's change number {@code change} (0 as posted), kept in {@code statusVersion}. */
    public static ItemState message(MessageView m, long change) {
        return new ItemState(MESSAGE, m.id(), m.roomId(), null, null, change, false, 0, -1, true, null, null, m);
    }

    @JsonIgnore // not a property: Jackson would take "isPost" for the post
    public boolean isPost() {
        return POST.equals(kind);
    }

    @JsonIgnore
    public boolean isComment() {
        return COMMENT.equals(kind);
    }

    /** A post that readers see: its content known, approved by its newest decision, not deleted. */
    public boolean postShown() {
        return isPost() && post != null && APPROVED.equals(status) && !deleted;
    }

    /** A comment readers see, given whether its post is shown. */
    public boolean commentShown(boolean postShown) {
        return isComment() && comment != null && APPROVED.equals(status) && !deleted && postShown;
    }

    /** The newer of this decision and {@code version}'s: an older or repeated decision changes nothing. */
    public ItemState decided(String newStatus, long version) {
        if (version <= statusVersion) {
            return this;
        }
        return new ItemState(kind, id, roomId, postId, newStatus, version, deleted, votes, votesVersion, visible, post,
                comment, message);
    }

    public ItemState voted(long score, long version) {
        if (version <= votesVersion) {
            return this;
        }
        return new ItemState(kind, id, roomId, postId, status, statusVersion, deleted, score, version, visible, post,
                comment, message);
    }

    /** The content, once known (a deleted item keeps none). */
    public ItemState withPost(PostView view) {
        if (view == null || post != null || deleted) {
            return this;
        }
        return new ItemState(kind, id, roomId, postId, status, statusVersion, deleted, votes, votesVersion, visible,
                view, comment, message);
    }

    public ItemState withComment(CommentView view) {
        if (view == null || comment != null || deleted) {
            return this;
        }
        return new ItemState(kind, id, roomId, postId, status, statusVersion, deleted, votes, votesVersion, visible,
                post, view, message);
    }

    /** Deleted for good (a post, or a comment of a deleted post): its content is dropped, its versions kept. */
    public ItemState asDeleted() {
        return new ItemState(kind, id, roomId, postId, status, statusVersion, true, votes, votesVersion, false, null,
                null, message);
    }

    public ItemState withVisible(boolean shown) {
        if (shown == visible) {
            return this;
        }
        return new ItemState(kind, id, roomId, postId, status, statusVersion, deleted, votes, votesVersion, shown, post,
                comment, message);
    }
}
