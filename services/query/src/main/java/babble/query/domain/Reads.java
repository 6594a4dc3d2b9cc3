package babble.query.domain;

import babble.contracts.api.CommentList;
import babble.contracts.api.CommentView;
import babble.contracts.api.PostList;
import babble.contracts.api.PostView;
import babble.query.store.ReadModelStore;
import babble.query.store.ReadModelStore.PostRow;
import babble.platform.db.Database;
import babble.platform.http.Cursors;
import babble.platform.identity.Identity;
import babble.platform.problem.NotFound;
import babble.contracts.internal.PostLookup;
import babble.platform.problem.InvalidField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What readers see: approved posts and comments, and the caller's own in any status, with the caller's votes.
 * Any signed-in user may read a room's posts (rooms are communities); a room the model has not heard of yet is
 * checked with the rooms service once (404 if it does not exist).
 */
public final class Reads {
    public static final int MAX_POSTS = 100;
    public static final int MAX_COMMENTS = 200;

    private final Database db;
    private final ReadModelStore store;
    private final RoomGate rooms;

    public Reads(Database db, ReadModelStore store, RoomGate rooms) {
        this.db = db;
        this.store = store;
        this.rooms = rooms;
    }

    public PostList posts(Identity caller, UUID roomId, String sortName, int limit, String cursor) {
        UUID viewer = caller.requireUser();
        Sort sort = Sort.parse(sortName);
        Sort.Position from = sort.position(cursor);
        requireRoom(roomId, viewer);
        return db.withHandle(h -> {
            List<PostRow> rows = store.posts(h, roomId, viewer, sort, from, limit + 1);
            boolean more = rows.size() > limit;
            List<PostRow> page = more ? rows.subList(0, limit) : rows;
            Map<UUID, Integer> votes = store.votes(h, viewer, page.stream().map(r -> r.view().id()).toList());
            var posts = page.stream().map(r -> withVote(r.view(), votes.getOrDefault(r.view().id(), 0))).toList();
            String next = null;
            if (more) {
                PostRow last = page.getLast();
                next = sort.cursor(new Sort.Position(last.hot(), last.view().score(), last.view().id()));
            }
            return new PostList(posts, next);
        });
    }

    public PostView post(Identity caller, UUID postId) {
        UUID viewer = caller.requireUser();
        return db.withHandle(h -> {
            PostView post = visiblePost(h, postId, viewer);
            return withVote(post, store.votes(h, viewer, List.of(postId)).getOrDefault(postId, 0));
        });
    }

    public CommentList comments(Identity caller, UUID postId, int limit, String cursor) {
        UUID viewer = caller.requireUser();
        UUID after = Cursors.decodeId(cursor);
        return db.withHandle(h -> {
            visiblePost(h, postId, viewer);
            List<CommentView> rows = store.comments(h, postId, viewer, after, limit + 1);
            boolean more = rows.size() > limit;
            List<CommentView> page = more ? rows.subList(0, limit) : rows;
            return new CommentList(page, more ? Cursors.encode(page.getLast().id()) : null);
        });
    }

    /** The posts with these ids the caller may read, in the order asked, with the caller's votes. */
    public PostList lookup(Identity caller, List<UUID> ids) {
        UUID viewer = caller.requireUser();
        if (ids == null || ids.size() > PostLookup.MAX_IDS) {
            throw new InvalidField("ids", "must list at most " + PostLookup.MAX_IDS + " post ids");
        }
        return db.withHandle(h -> {
            Map<UUID, PostView> found = new HashMap<>();
            for (PostView p : store.posts(h, ids)) {
                if (p.status().equals(ReadModelStore.APPROVED) || p.author().id().equals(viewer)) {
                    found.put(p.id(), p);
                }
            }
            Map<UUID, Integer> votes = store.votes(h, viewer, List.copyOf(found.keySet()));
            List<PostView> posts = ids.stream().distinct().filter(found::containsKey)
                    .map(id -> withVote(found.get(id), votes.getOrDefault(id, 0))).toList();
            return new PostList(posts, null);
        });
    }

    private PostView visiblePost(org.jdbi.v3.core.Handle h, UUID postId, UUID viewer) {
        return store.post(h, postId)
                .filter(p -> p.status().equals(ReadModelStore.APPROVED) || p.author().id().equals(viewer))
                .orElseThrow(() -> NotFound.of("post", postId));
    }

    private void requireRoom(UUID roomId, UUID viewer) {
        if (!db.withHandle(h -> store.roomKnown(h, roomId))) {
            rooms.access(roomId, viewer); // NotFound for a room that does not exist
            db.useTransaction(tx -> store.roomExists(tx, roomId));
        }
    }

    private static PostView withVote(PostView p, int vote) {
        return new PostView(p.id(), p.roomId(), p.author(), p.title(), p.body(), p.url(), p.tags(), p.score(), vote,
                p.commentCount(), p.status(), p.reason(), p.createdAt());
    }
}
