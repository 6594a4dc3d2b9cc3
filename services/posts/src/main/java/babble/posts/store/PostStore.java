package babble.posts.store;

import babble.contracts.api.CommentView;
import babble.contracts.api.PostView;
import babble.contracts.api.UserView;
import babble.platform.db.Sql;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for posts, comments and votes. Every query is served by a primary key or a unique index. */
public final class PostStore {
    /** A post as the write side keeps it. */
    public record StoredPost(PostView view, long version, boolean deleted) {
        public UUID roomId() {
            return view.roomId();
        }

        public UUID authorId() {
            return view.author().id();
        }
    }

    private static final String POST_COLUMNS =
            "id, room_id, author_id, author_username, author_name, title, body, url, tags, created_at, score, version, deleted";
    private static final RowMapper<StoredPost> POST = (rs, ctx) -> new StoredPost(new PostView(
            Sql.uuid(rs, "id"), Sql.uuid(rs, "room_id"),
            new UserView(Sql.uuid(rs, "author_id"), rs.getString("author_username"), rs.getString("author_name")),
            rs.getString("title"), rs.getString("body"), rs.getString("url"), splitTags(rs.getString("tags")),
            rs.getLong("score"), 0, 0, "pending", null, Sql.instant(rs, "created_at")),
            rs.getLong("version"), rs.getBoolean("deleted"));
    private static final String COMMENT_COLUMNS =
            "id, post_id, room_id, parent_id, author_id, author_username, author_name, text, created_at";
    private static final RowMapper<CommentView> COMMENT = (rs, ctx) -> new CommentView(
            Sql.uuid(rs, "id"), Sql.uuid(rs, "post_id"), Sql.uuid(rs, "room_id"), Sql.uuid(rs, "parent_id"),
            new UserView(Sql.uuid(rs, "author_id"), rs.getString("author_username"), rs.getString("author_name")),
            rs.getString("text"), "pending", null, Sql.instant(rs, "created_at"));

    public void insertPost(Handle tx, PostView post, String idempotencyKey) {
        tx.createUpdate("""
                insert into posts (id, room_id, author_id, author_username, author_name, title, body, url, tags,
                                   created_at, score, version, deleted, idempotency_key)
                values (:id, :roomId, :authorId, :username, :name, :title, :body, :url, :tags, :at, 0, 1, false, :key)""")
                .bind("id", post.id()).bind("roomId", post.roomId()).bind("authorId", post.author().id())
                .bind("username", post.author().username()).bind("name", post.author().displayName())
                .bind("title", post.title()).bind("body", post.body()).bind("url", post.url())
                .bind("tags", String.join(",", post.tags())).bind("at", Sql.utc(post.createdAt()))
                .bind("key", idempotencyKey).execute();
    }

    /**
     * Inserts imported posts (approved, with their own created time and score) in one JDBC batch, each unless the
     * room already has a post with its key; answers, per post, whether it was inserted.
     */
    public boolean[] insertImported(Handle tx, List<PostView> posts, List<String> keys, UUID importId) {
        var insert = tx.prepareBatch("""
                insert into posts (id, room_id, author_id, author_username, author_name, title, body, url, tags,
                                   created_at, score, version, deleted, import_key, import_id)
                values (:id, :roomId, :authorId, :username, :name, :title, :body, :url, :tags, :at, :score, 1, false,
                        :key, :importId)
                on conflict do nothing""");
        for (int i = 0; i < posts.size(); i++) {
            PostView post = posts.get(i);
            insert.bind("id", post.id()).bind("roomId", post.roomId()).bind("authorId", post.author().id())
                    .bind("username", post.author().username()).bind("name", post.author().displayName())
                    .bind("title", post.title()).bind("body", post.body()).bind("url", post.url())
                    .bind("tags", String.join(",", post.tags())).bind("at", Sql.utc(post.createdAt()))
                    .bind("score", post.score()).bind("key", keys.get(i)).bind("importId", importId).add();
        }
        int[] counts = insert.execute();
        var inserted = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            inserted[i] = counts[i] > 0; // 0: the key was there already (on conflict do nothing)
        }
        return inserted;
    }

    /** The import id of each of the room's posts that has one of these keys. */
    public Map<String, UUID> importIds(Handle h, UUID roomId, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        var ids = new HashMap<String, UUID>();
        h.createQuery("select import_key, import_id from posts where room_id = :roomId and import_key in (<keys>)")
                .bind("roomId", roomId).bindList("keys", List.copyOf(keys))
                .map((rs, ctx) -> Map.entry(rs.getString("import_key"), Sql.uuid(rs, "import_id")))
                .forEach(e -> ids.put(e.getKey(), e.getValue()));
        return ids;
    }

    public Optional<StoredPost> findPost(Handle h, UUID id) {
        return h.createQuery("select " + POST_COLUMNS + " from posts where id = :id").bind("id", id).map(POST).findOne();
    }

    /** The post's row, locked until the end of the transaction (votes and deletion of one post go one by one). */
    public Optional<StoredPost> lockPost(Handle tx, UUID id) {
        return tx.createQuery("select " + POST_COLUMNS + " from posts where id = :id for update").bind("id", id)
                .map(POST).findOne();
    }

    public Optional<StoredPost> findPostByKey(Handle h, UUID roomId, UUID authorId, String key) {
        return h.createQuery("select " + POST_COLUMNS
                        + " from posts where room_id = :roomId and author_id = :authorId and idempotency_key = :key")
                .bind("roomId", roomId).bind("authorId", authorId).bind("key", key).map(POST).findOne();
    }

    /** Sets the score and marks one more change; returns the post's new version. */
    public long updateScore(Handle tx, UUID postId, long score) {
        tx.createUpdate("update posts set score = :score, version = version + 1 where id = :id")
                .bind("score", score).bind("id", postId).execute();
        return tx.createQuery("select version from posts where id = :id").bind("id", postId).mapTo(Long.class).one();
    }

    public long markDeleted(Handle tx, UUID postId) {
        tx.createUpdate("update posts set deleted = true, version = version + 1 where id = :id").bind("id", postId).execute();
        return tx.createQuery("select version from posts where id = :id").bind("id", postId).mapTo(Long.class).one();
    }

    public int vote(Handle h, UUID postId, UUID userId) {
        return h.createQuery("select vote from votes where post_id = :postId and user_id = :userId")
                .bind("postId", postId).bind("userId", userId).mapTo(Integer.class).findOne().orElse(0);
    }

    public void setVote(Handle tx, UUID postId, UUID userId, int value) {
        tx.createUpdate("delete from votes where post_id = :postId and user_id = :userId")
                .bind("postId", postId).bind("userId", userId).execute();
        if (value != 0) {
            tx.createUpdate("insert into votes (post_id, user_id, vote) values (:postId, :userId, :value)")
                    .bind("postId", postId).bind("userId", userId).bind("value", value).execute();
        }
    }

    public void insertComment(Handle tx, CommentView comment, String idempotencyKey) {
        Sql.bindUuid(tx.createUpdate("""
                insert into comments (id, post_id, room_id, parent_id, author_id, author_username, author_name, text,
                                      created_at, idempotency_key)
                values (:id, :postId, :roomId, :parentId, :authorId, :username, :name, :text, :at, :key)"""), "parentId",
                comment.parentId())
                .bind("id", comment.id()).bind("postId", comment.postId()).bind("roomId", comment.roomId())
                .bind("authorId", comment.author().id())
                .bind("username", comment.author().username()).bind("name", comment.author().displayName())
                .bind("text", comment.text()).bind("at", Sql.utc(comment.createdAt())).bind("key", idempotencyKey)
                .execute();
    }

    public Optional<CommentView> findComment(Handle h, UUID id) {
        return h.createQuery("select " + COMMENT_COLUMNS + " from comments where id = :id").bind("id", id)
                .map(COMMENT).findOne();
    }

    public Optional<CommentView> findCommentByKey(Handle h, UUID postId, UUID authorId, String key) {
        return h.createQuery("select " + COMMENT_COLUMNS
                        + " from comments where post_id = :postId and author_id = :authorId and idempotency_key = :key")
                .bind("postId", postId).bind("authorId", authorId).bind("key", key).map(COMMENT).findOne();
    }

    private static List<String> splitTags(String tags) {
        return tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(","));
    }
}
