package babble.posts.domain;

import babble.contracts.api.CreatePostRequest;
import babble.contracts.api.PostView;
import babble.contracts.api.UserView;
import babble.contracts.internal.ImportedPost;
import babble.contracts.internal.PostImport;
import babble.contracts.internal.PostImportResult;
import babble.posts.events.PostEvents;
import babble.posts.store.PostStore;
import babble.platform.Ids;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Imports (seed 004's reddit data, sent by the jobs service as the room's owner): a batch of posts written at once,
 * approved, with their own created time and score, in one transaction with their events. A post is made once per
 * room by its key; a key the room already has is left alone, and counted as created when the same import (batch)
 * wrote it, which is what a batch sent again after its worker died finds.
 */
public final class PostImports {
    /** A batch is parsed as it streams in, up to this size (the server's limit for other bodies is 64 KiB). */
    public static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;
    static final int MAX_AUTHOR_NAME = 64;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final String APPROVED = "approved";

    private final Database db;
    private final PostStore store;
    private final PostEvents events;
    private final RoomGate rooms;

    public PostImports(Database db, PostStore store, PostEvents events, RoomGate rooms) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.rooms = rooms;
    }

    public PostImportResult importPosts(Identity caller, UUID roomId, PostImport batch) {
        UUID ownerId = caller.requireUser();
        var access = rooms.access(roomId, ownerId);
        Posts.requirePublic(access);
        if (!access.owner()) {
            throw new Forbidden("only the owner of room " + roomId + " may import posts into it");
        }
        if (caller.username() == null) {
            throw new InvalidField("username", "an import is made as a user with a username");
        }
        if (batch.importId() == null) {
            throw new InvalidField("importId", "is required");
        }
        if (batch.posts() == null || batch.posts().isEmpty() || batch.posts().size() > PostImport.MAX_POSTS) {
            throw new InvalidField("posts", "must hold 1 to " + PostImport.MAX_POSTS + " posts");
        }
        // A key twice in one batch: the first is the post, the others are what the room then already has.
        var seen = new HashSet<String>();
        var posts = new ArrayList<PostView>(batch.posts().size());
        var keys = new ArrayList<String>(batch.posts().size());
        for (int i = 0; i < batch.posts().size(); i++) {
            ImportedPost imported = batch.posts().get(i);
            PostView post = checked(i, imported, roomId, caller);
            if (seen.add(imported.key())) {
                posts.add(post);
                keys.add(imported.key());
            }
        }
        int repeatedInBatch = batch.posts().size() - posts.size();
        return db.inTransaction(tx -> {
            boolean[] inserted = store.insertImported(tx, posts, keys, batch.importId());
            var created = new ArrayList<PostView>(posts.size());
            var there = new ArrayList<String>();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i]) {
                    created.add(posts.get(i));
                } else {
                    there.add(keys.get(i));
                }
            }
            Map<String, UUID> importedBy = store.importIds(tx, roomId, there);
            long byThisImport = there.stream().filter(key -> batch.importId().equals(importedBy.get(key))).count();
            events.postsCreated(tx, created);
            return new PostImportResult(created.size() + (int) byThisImport,
                    there.size() - (int) byThisImport + repeatedInBatch);
        });
    }

    /** One imported post checked like a written one; a problem names it as {@code posts[i].field}. */
    private static PostView checked(int index, ImportedPost imported, UUID roomId, Identity owner) {
        if (imported == null) {
            throw new InvalidField("posts[" + index + "]", "is required");
        }
        if (imported.key() == null || !KEY.matcher(imported.key()).matches()) {
            throw new InvalidField("posts[" + index + "].key", "must be 1 to 128 visible ASCII characters");
        }
        if (imported.createdAt() == null) {
            throw new InvalidField("posts[" + index + "].createdAt", "is required");
        }
        String authorName = imported.authorName() == null ? "" : imported.authorName().strip();
        if (authorName.isEmpty() || Texts.length(authorName) > MAX_AUTHOR_NAME) {
            throw new InvalidField("posts[" + index + "].authorName", "must be 1 to " + MAX_AUTHOR_NAME + " characters");
        }
        NewPost post;
        try {
            post = NewPost.from(new CreatePostRequest(imported.title(), imported.body(), imported.url(), imported.tags()));
        } catch (InvalidField e) {
            var error = e.errors().getFirst();
            throw new InvalidField("posts[" + index + "]." + error.field(), error.message());
        }
        return new PostView(Ids.newId(), roomId, new UserView(owner.userId(), owner.username(), authorName),
                post.title(), post.body(), post.url(), post.tags(), imported.score(), 0, 0, APPROVED, null,
                imported.createdAt().truncatedTo(ChronoUnit.MICROS));
    }
}
