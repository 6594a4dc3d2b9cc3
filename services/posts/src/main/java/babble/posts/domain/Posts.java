package babble.posts.domain;

import babble.contracts.api.CommentView;
import babble.contracts.api.CreateCommentRequest;
import babble.contracts.api.CreatePostRequest;
import babble.contracts.api.PostView;
import babble.contracts.api.UserView;
import babble.contracts.api.VoteResult;
import babble.contracts.internal.RoomAccess;
import babble.posts.events.PostEvents;
import babble.posts.store.PostStore;
import babble.posts.store.PostStore.StoredPost;
import babble.platform.Ids;
import babble.platform.db.Database;
import babble.platform.db.Sql;
import babble.platform.identity.Identity;
import babble.platform.problem.Conflict;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The write side of a room's posts: who may post, comment, vote and delete, and what each change tells the other
 * services (in the same transaction, through the outbox). Whether an item is shown is moderation's decision, and
 * reads are the query service's: a write answers the item as written, {@code pending}.
 *
 * <p>Who may write is asked of the rooms service at the moment of each write, so a join or a leave holds on the
 * caller's very next request without any copy to wait for (writes here are far rarer than chat messages).
 */
public final class Posts {
    static final int MAX_COMMENT = 10_000;
    private static final String PENDING = "pending";

    private final Database db;
    private final PostStore store;
    private final PostEvents events;
    private final RoomGate rooms;
    private final Clock clock;

    public Posts(Database db, PostStore store, PostEvents events, RoomGate rooms, Clock clock) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.rooms = rooms;
        this.clock = clock;
    }

    public PostView create(Identity caller, UUID roomId, CreatePostRequest request, String idempotencyKey) {
        UUID userId = caller.requireUser();
        NewPost post = NewPost.from(request);
        String key = Texts.idempotencyKey(idempotencyKey);
        requirePublic(requireMember(rooms.access(roomId, userId)));
        if (key != null) {
            var earlier = samePostBefore(roomId, userId, key, post);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        var view = new PostView(Ids.newId(), roomId, author(caller), post.title(), post.body(), post.url(), post.tags(),
                0, 0, 0, PENDING, null, now());
        return insertOnce(() -> db.inTransaction(tx -> {
            store.insertPost(tx, view, key);
            events.postCreated(tx, view);
            return view;
        }), () -> samePostBefore(roomId, userId, key, post));
    }

    public CommentView comment(Identity caller, UUID postId, CreateCommentRequest request, String idempotencyKey) {
        UUID userId = caller.requireUser();
        if (request == null) {
            throw new InvalidField("text", "is required");
        }
        String text = Texts.required("text", request.text(), MAX_COMMENT).strip();
        UUID parentId = parentId(request.parentId());
        String key = Texts.idempotencyKey(idempotencyKey);
        StoredPost post = livePost(postId);
        requireMember(rooms.access(post.roomId(), userId));
        if (parentId != null) {
            var parent = db.withHandle(h -> store.findComment(h, parentId));
            if (parent.isEmpty() || !parent.get().postId().equals(postId)) {
                throw new InvalidField("parentId", "must be a comment of the same post");
            }
        }
        if (key != null) {
            var earlier = sameCommentBefore(postId, userId, key, text, parentId);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        var view = new CommentView(Ids.newId(), postId, post.roomId(), parentId, author(caller), text, PENDING, null, now());
        return insertOnce(() -> db.inTransaction(tx -> {
            store.insertComment(tx, view, key);
            events.commentCreated(tx, view);
            return view;
        }), () -> sameCommentBefore(postId, userId, key, text, parentId));
    }

    public VoteResult vote(Identity caller, UUID postId, Integer value) {
        UUID userId = caller.requireUser();
        if (value == null || value < -1 || value > 1) {
            throw new InvalidField("value", "must be 1, 0 or -1");
        }
        StoredPost known = livePost(postId);
        requireMember(rooms.access(known.roomId(), userId));
        return db.inTransaction(tx -> {
            StoredPost post = store.lockPost(tx, postId).filter(p -> !p.deleted()).orElseThrow(() -> NotFound.of("post", postId));
            int before = store.vote(tx, postId, userId);
            long score = post.view().score();
            if (before == value) {
                return new VoteResult(score, value);
            }
            store.setVote(tx, postId, userId, value);
            score += value - before;
            long version = store.updateScore(tx, postId, score);
            events.voted(tx, postId, post.roomId(), userId, value, score, version);
            return new VoteResult(score, value);
        });
    }

    /** The author, or the room's owner, deletes a post; its comments go with it (readers stop seeing them). */
    public void delete(Identity caller, UUID postId) {
        UUID userId = caller.requireUser();
        StoredPost known = livePost(postId);
        if (!known.authorId().equals(userId) && !rooms.access(known.roomId(), userId).owner()) {
            throw new Forbidden("only the author of a post or the room's owner may delete it");
        }
        db.useTransaction(tx -> {
            StoredPost post = store.lockPost(tx, postId).filter(p -> !p.deleted()).orElseThrow(() -> NotFound.of("post", postId));
            long version = store.markDeleted(tx, postId);
            events.deleted(tx, postId, post.roomId(), userId, version);
        });
    }

    private StoredPost livePost(UUID postId) {
        return db.withHandle(h -> store.findPost(h, postId)).filter(p -> !p.deleted())
                .orElseThrow(() -> NotFound.of("post", postId));
    }

    /**
     * Posts are read by anyone signed in, through the query service, search, the feed and topic listings: a private
     * room keeps to chat, so nothing of it reaches those.
     */
    static RoomAccess requirePublic(RoomAccess access) {
        if (access.privateRoom()) {
            throw new InvalidField("room", "a private room has chat only: posts are for public rooms");
        }
        return access;
    }

    private static RoomAccess requireMember(RoomAccess access) {
        if (!access.member()) {
            throw new Forbidden("only members of room " + access.roomId() + " may write in it");
        }
        return access;
    }

    /**
     * Runs an insert that carries an Idempotency-Key; when a concurrent retry with the same key won the race (the
     * unique index refuses this one), answers what that retry stored.
     */
    private static <T> T insertOnce(Supplier<T> insert, Supplier<Optional<T>> earlier) {
        try {
            return insert.get();
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                return earlier.get().orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<PostView> samePostBefore(UUID roomId, UUID userId, String key, NewPost post) {
        if (key == null) {
            return Optional.empty();
        }
        var earlier = db.withHandle(h -> store.findPostByKey(h, roomId, userId, key)).map(StoredPost::view);
        if (earlier.isPresent() && !(earlier.get().title().equals(post.title()) && Objects.equals(earlier.get().body(), post.body())
                && Objects.equals(earlier.get().url(), post.url()) && earlier.get().tags().equals(post.tags()))) {
            throw new Conflict("the Idempotency-Key " + key + " was already used for a different post");
        }
        return earlier;
    }

    private Optional<CommentView> sameCommentBefore(UUID postId, UUID userId, String key, String text, UUID parentId) {
        if (key == null) {
            return Optional.empty();
        }
        var earlier = db.withHandle(h -> store.findCommentByKey(h, postId, userId, key));
        if (earlier.isPresent() && !(earlier.get().text().equals(text) && Objects.equals(earlier.get().parentId(), parentId))) {
            throw new Conflict("the Idempotency-Key " + key + " was already used for a different comment");
        }
        return earlier;
    }

    private static UUID parentId(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("parentId", "must be a comment of the same post");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS); // what both stores keep, so answers match reads
    }

    private static UserView author(Identity caller) {
        String name = caller.displayName() == null ? caller.username() : caller.displayName();
        return new UserView(caller.userId(), caller.username(), name);
    }
}
