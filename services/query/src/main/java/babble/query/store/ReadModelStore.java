package babble.query.store;

import babble.contracts.api.CommentView;
import babble.contracts.api.Hot;
import babble.contracts.api.PostView;
import babble.contracts.api.UserView;
import babble.query.domain.Sort;
import babble.platform.db.Sql;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * SQL of the read model: applying events (each write guarded by the version of the newest event applied to that
 * row) and the reads the API serves (each one index range, votes of a page in one query).
 */
public final class ReadModelStore {
    public static final String APPROVED = "approved";

    /** A decision as stored, when one has arrived for an item. */
    public record Decision(String status, String reason, long version) {
    }

    private static final String POST_COLUMNS = "id, room_id, author_id, author_username, author_name, title, body, url, "
            + "tags, created_at, score, hot, comment_count, status, reason";
    private static final RowMapper<PostRow> POST = (rs, ctx) -> new PostRow(new PostView(
            Sql.uuid(rs, "id"), Sql.uuid(rs, "room_id"),
            new UserView(Sql.uuid(rs, "author_id"), rs.getString("author_username"), rs.getString("author_name")),
            rs.getString("title"), rs.getString("body"), rs.getString("url"), splitTags(rs.getString("tags")),
            rs.getLong("score"), 0, rs.getLong("comment_count"), rs.getString("status"), rs.getString("reason"),
            Sql.instant(rs, "created_at")), rs.getDouble("hot"));
    private static final String COMMENT_COLUMNS = "id, post_id, room_id, parent_id, author_id, author_username, "
            + "author_name, text, created_at, status, reason";
    private static final RowMapper<CommentView> COMMENT = (rs, ctx) -> new CommentView(
            Sql.uuid(rs, "id"), Sql.uuid(rs, "post_id"), Sql.uuid(rs, "room_id"), Sql.uuid(rs, "parent_id"),
            new UserView(Sql.uuid(rs, "author_id"), rs.getString("author_username"), rs.getString("author_name")),
            rs.getString("text"), rs.getString("status"), rs.getString("reason"), Sql.instant(rs, "created_at"));

    /** A post with its hot rank (the key of the hot order). */
    public record PostRow(PostView view, double hot) {
    }

    // ---- the model's own state ----

    public Optional<String> setting(Handle h, String name) {
        return h.createQuery("select setting from read_model where name = :name").bind("name", name)
                .mapTo(String.class).findOne();
    }

    public void putSetting(Handle tx, String name, String value) {
        tx.createUpdate("delete from read_model where name = :name").bind("name", name).execute();
        tx.createUpdate("insert into read_model (name, setting) values (:name, :value)").bind("name", name)
                .bind("value", value).execute();
    }

    // ---- applying events ----

    public void roomExists(Handle tx, UUID roomId) {
        tx.createUpdate("insert into rooms (id) values (:id) on conflict do nothing").bind("id", roomId).execute();
    }

    public boolean roomKnown(Handle h, UUID roomId) {
        return h.createQuery("select count(*) from rooms where id = :id").bind("id", roomId).mapTo(Integer.class).one() > 0;
    }

    /**
     * The item's decision so far (version 0, pending, when none has come), with its row locked until commit. The
     * decision row is where an item's two streams meet: an item being inserted and its decision being applied
     * concurrently (their streams are consumed independently) take turns on it, so the second sees the first.
     */
    public Decision lockDecision(Handle tx, UUID id) {
        tx.createUpdate("""
                insert into decisions (id, status, reason, version) values (:id, 'pending', null, 0)
                on conflict do nothing""").bind("id", id).execute();
        return tx.createQuery("select status, reason, version from decisions where id = :id for update").bind("id", id)
                .map((rs, ctx) -> new Decision(rs.getString("status"), rs.getString("reason"), rs.getLong("version")))
                .one();
    }

    /** Records a decision unless a newer one is known; true when this one is now the item's. */
    public boolean putDecision(Handle tx, UUID id, Decision d) {
        int inserted = tx.createUpdate("""
                insert into decisions (id, status, reason, version) values (:id, :status, :reason, :version)
                on conflict do nothing""")
                .bind("id", id).bind("status", d.status()).bind("reason", d.reason()).bind("version", d.version()).execute();
        if (inserted == 1) {
            return true;
        }
        return tx.createUpdate("""
                update decisions set status = :status, reason = :reason, version = :version
                where id = :id and version < :version""")
                .bind("id", id).bind("status", d.status()).bind("reason", d.reason()).bind("version", d.version())
                .execute() == 1;
    }

    /**
     * Inserts a post (once), with its decision so far and the votes and approved comments that came before it. The
     * score starts at the post's own (an imported post brings one) plus the votes that came first.
     */
    public void insertPost(Handle tx, PostView post, Decision decision) {
        // Votes that came first (each user's newest) already say the score.
        var votes = tx.createQuery("select coalesce(sum(vote), 0), coalesce(max(version), 0) from votes where post_id = :id")
                .bind("id", post.id()).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
        tx.createUpdate("""
                insert into posts (id, room_id, author_id, author_username, author_name, title, body, url, tags,
                                   created_at, score, score_version, hot, comment_count, status, reason, status_version,
                                   deleted)
                values (:id, :roomId, :authorId, :username, :name, :title, :body, :url, :tags, :createdAt, :score,
                        :scoreVersion, :hot,
                        (select count(*) from comments c where c.post_id = :id and c.status = 'approved'),
                        :status, :reason, :statusVersion, false)
                on conflict do nothing""")
                .bind("id", post.id()).bind("roomId", post.roomId()).bind("authorId", post.author().id())
                .bind("username", post.author().username()).bind("name", post.author().displayName())
                .bind("title", post.title()).bind("body", post.body()).bind("url", post.url())
                .bind("tags", String.join(",", post.tags())).bind("createdAt", Sql.utc(post.createdAt()))
                .bind("score", post.score() + votes[0]).bind("scoreVersion", votes[1])
                .bind("hot", Hot.rank(post.score() + votes[0], post.createdAt()))
                .bind("status", decision.status()).bind("reason", decision.reason())
                .bind("statusVersion", decision.version())
                .execute();
    }

    /** Inserts a comment once; true when it is new. */
    public boolean insertComment(Handle tx, CommentView c, Decision decision) {
        return Sql.bindUuid(tx.createUpdate("""
                insert into comments (id, post_id, room_id, parent_id, author_id, author_username, author_name, text,
                                      created_at, status, reason, status_version)
                values (:id, :postId, :roomId, :parentId, :authorId, :username, :name, :text, :createdAt, :status,
                        :reason, :statusVersion)
                on conflict do nothing"""), "parentId", c.parentId())
                .bind("id", c.id()).bind("postId", c.postId()).bind("roomId", c.roomId())
                .bind("authorId", c.author().id()).bind("username", c.author().username())
                .bind("name", c.author().displayName()).bind("text", c.text()).bind("createdAt", Sql.utc(c.createdAt()))
                .bind("status", decision.status()).bind("reason", decision.reason())
                .bind("statusVersion", decision.version())
                .execute() == 1;
    }

    public void addToCommentCount(Handle tx, UUID postId, int delta) {
        tx.createUpdate("update posts set comment_count = comment_count + :delta where id = :id")
                .bind("delta", delta).bind("id", postId).execute();
    }

    public void setPostStatus(Handle tx, UUID id, Decision d) {
        tx.createUpdate("""
                update posts set status = :status, reason = :reason, status_version = :version
                where id = :id and status_version < :version""")
                .bind("id", id).bind("status", d.status()).bind("reason", d.reason()).bind("version", d.version()).execute();
    }

    /** The comment's status before this decision, when the decision is newer than what the row holds. */
    public Optional<String> setCommentStatus(Handle tx, UUID id, Decision d) {
        var before = tx.createQuery("select status from comments where id = :id and status_version < :version for update")
                .bind("id", id).bind("version", d.version()).mapTo(String.class).findOne();
        if (before.isPresent()) {
            tx.createUpdate("update comments set status = :status, reason = :reason, status_version = :version where id = :id")
                    .bind("id", id).bind("status", d.status()).bind("reason", d.reason()).bind("version", d.version())
                    .execute();
        }
        return before;
    }

    public Optional<UUID> postOfComment(Handle h, UUID commentId) {
        return h.createQuery("select post_id from comments where id = :id").bind("id", commentId).mapTo(UUID.class).findOne();
    }

    /** A user's vote as of post version {@code version}, unless a newer one is known. */
    public void putVote(Handle tx, UUID postId, UUID userId, int value, long version) {
        int inserted = tx.createUpdate("""
                insert into votes (post_id, user_id, vote, version) values (:postId, :userId, :value, :version)
                on conflict do nothing""")
                .bind("postId", postId).bind("userId", userId).bind("value", value).bind("version", version).execute();
        if (inserted == 0) {
            tx.createUpdate("""
                    update votes set vote = :value, version = :version
                    where post_id = :postId and user_id = :userId and version < :version""")
                    .bind("postId", postId).bind("userId", userId).bind("value", value).bind("version", version).execute();
        }
    }

    public void setScore(Handle tx, UUID postId, long score, long version) {
        var createdAt = tx.createQuery("select created_at from posts where id = :id").bind("id", postId)
                .map((rs, ctx) -> Sql.instant(rs, "created_at")).findOne();
        if (createdAt.isEmpty()) {
            return; // the post comes later, and adds up the votes stored before it
        }
        tx.createUpdate("""
                update posts set score = :score, hot = :hot, score_version = :version
                where id = :id and score_version < :version""")
                .bind("score", score).bind("hot", Hot.rank(score, createdAt.get())).bind("version", version)
                .bind("id", postId).execute();
    }

    public void markDeleted(Handle tx, UUID postId) {
        tx.createUpdate("update posts set deleted = true where id = :id").bind("id", postId).execute();
    }

    // ---- reads ----

    /** A post that exists and is not deleted (visibility is the caller's business). */
    public Optional<PostView> post(Handle h, UUID id) {
        return h.createQuery("select " + POST_COLUMNS + " from posts where id = :id and deleted = false")
                .bind("id", id).map(POST).findOne().map(PostRow::view);
    }

    /** The posts with these ids that exist and are not deleted, in no particular order. */
    public List<PostView> posts(Handle h, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery("select " + POST_COLUMNS + " from posts where id in (<ids>) and deleted = false")
                .bindList("ids", ids).map(POST).map(PostRow::view).list();
    }

    /** One page of a room's posts visible to {@code viewer} (approved, or theirs), after {@code from}. */
    public List<PostRow> posts(Handle h, UUID roomId, UUID viewer, Sort sort, Sort.Position from, int limit) {
        String after = from == null ? "" : switch (sort) {
            case HOT -> " and (hot < :hot or (hot = :hot and id < :id))";
            case TOP -> " and (score < :score or (score = :score and id < :id))";
            case NEW -> " and id < :id";
        };
        String order = switch (sort) {
            // Each the order of its index, room included: H2 then reads just one page instead of sorting the room.
            case HOT -> " order by room_id desc, hot desc, id desc";
            case TOP -> " order by room_id desc, score desc, id desc";
            case NEW -> " order by room_id desc, id desc";
        };
        var query = h.createQuery("select " + POST_COLUMNS + " from posts where room_id = :roomId and deleted = false"
                + " and (status = 'approved' or author_id = :viewer)" + after + order + " limit :limit")
                .bind("roomId", roomId).bind("viewer", viewer).bind("limit", limit);
        if (from != null) {
            query.bind("hot", from.hot()).bind("score", from.score()).bind("id", from.id());
        }
        return query.map(POST).list();
    }

    /** The viewer's votes on these posts, in one query. */
    public Map<UUID, Integer> votes(Handle h, UUID viewer, List<UUID> postIds) {
        var votes = new HashMap<UUID, Integer>();
        if (postIds.isEmpty()) {
            return votes;
        }
        h.createQuery("select post_id, vote from votes where user_id = :viewer and post_id in (<ids>)")
                .bind("viewer", viewer).bindList("ids", postIds)
                .map((rs, ctx) -> Map.entry(Sql.uuid(rs, "post_id"), rs.getInt("vote")))
                .forEach(e -> votes.put(e.getKey(), e.getValue()));
        return votes;
    }

    /** One page of a post's comments visible to {@code viewer}, oldest first, after the comment {@code after}. */
    public List<CommentView> comments(Handle h, UUID postId, UUID viewer, UUID after, int limit) {
        var query = h.createQuery("select " + COMMENT_COLUMNS + " from comments where post_id = :postId"
                        + " and (status = 'approved' or author_id = :viewer)" + (after == null ? "" : " and id > :after")
                        + " order by post_id, id limit :limit")
                .bind("postId", postId).bind("viewer", viewer).bind("limit", limit);
        if (after != null) {
            query.bind("after", after);
        }
        return query.map(COMMENT).list();
    }

    private static List<String> splitTags(String tags) {
        return tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(","));
    }
}
