package babble.recommend.store;

import babble.contracts.api.Hot;
import babble.contracts.api.PostView;
import babble.platform.db.Sql;
import babble.recommend.domain.TagRule;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * SQL of the ranked posts: applying post and moderation events, each write guarded by the version of the newest
 * event applied to that row, and the tags' copy of the sort keys changed with the post's.
 */
public final class PostStore {
    public static final String APPROVED = "approved";

    private record Scored(Instant createdAt, long version) {
    }

    /**
     * Locks the post's fate row until commit and says whether the post was deleted for good. Every event about a
     * post takes this lock first: its post and moderation streams are applied concurrently, and without it a
     * decision could bring back a post deleted in a transaction not yet committed, or insert a post without the
     * votes that were on their way to it.
     */
    public boolean lockDeleted(Handle tx, UUID postId) {
        tx.createUpdate("insert into post_fates (id, deleted) values (:id, false) on conflict do nothing")
                .bind("id", postId).execute();
        return tx.createQuery("select deleted from post_fates where id = :id for update").bind("id", postId)
                .mapTo(Boolean.class).one();
    }

    /**
     * Inserts the post once, with the status known so far and its score (the newest of votes that came before it,
     * else its own: an imported post brings one), and its tags; false when it was already there.
     */
    public boolean insert(Handle tx, PostView post, String status, long statusVersion) {
        var early = tx.createQuery("select score, version from early_scores where post_id = :id").bind("id", post.id())
                .map((rs, ctx) -> new long[] {rs.getLong("score"), rs.getLong("version")}).findOne();
        long score = early.map(e -> e[0]).orElse(post.score());
        long scoreVersion = early.map(e -> e[1]).orElse(0L);
        double hot = Hot.rank(score, post.createdAt());
        boolean visible = APPROVED.equals(status);
        int inserted = tx.createUpdate("""
                insert into posts (id, room_id, author_id, created_at, score, score_version, hot, status, status_version,
                                   visible)
                values (:id, :roomId, :authorId, :createdAt, :score, :scoreVersion, :hot, :status, :statusVersion, :visible)
                on conflict do nothing""")
                .bind("id", post.id()).bind("roomId", post.roomId()).bind("authorId", post.author().id())
                .bind("createdAt", Sql.utc(post.createdAt())).bind("score", score).bind("scoreVersion", scoreVersion)
                .bind("hot", hot).bind("status", status).bind("statusVersion", statusVersion).bind("visible", visible)
                .execute();
        if (inserted == 0) {
            return false;
        }
        var tags = new LinkedHashSet<String>();
        if (post.tags() != null) {
            post.tags().forEach(t -> TagRule.normalised(t).ifPresent(tags::add));
        }
        if (!tags.isEmpty()) {
            var batch = tx.prepareBatch("""
                    insert into post_tags (post_id, tag, created_at, score, hot, visible)
                    values (:postId, :tag, :createdAt, :score, :hot, :visible)""");
            tags.forEach(tag -> batch.bind("postId", post.id()).bind("tag", tag).bind("createdAt", Sql.utc(post.createdAt()))
                    .bind("score", score).bind("hot", hot).bind("visible", visible).add());
            batch.execute();
        }
        early.ifPresent(e -> tx.createUpdate("delete from early_scores where post_id = :id").bind("id", post.id()).execute());
        return true;
    }

    /** Applies a moderation decision unless a newer one is applied. */
    public void setStatus(Handle tx, UUID postId, String status, long version) {
        boolean visible = APPROVED.equals(status);
        int changed = tx.createUpdate("""
                update posts set status = :status, status_version = :version, visible = :visible
                where id = :id and status_version < :version""")
                .bind("id", postId).bind("status", status).bind("version", version).bind("visible", visible).execute();
        if (changed == 1) {
            tx.createUpdate("update post_tags set visible = :visible where post_id = :id")
                    .bind("id", postId).bind("visible", visible).execute();
        }
    }

    /**
     * Applies the score of post version {@code version} and its hot rank, unless a newer one is applied; kept for
     * later when the post has not arrived. The caller holds the post's lock and knows it is not deleted.
     */
    public void setScore(Handle tx, UUID postId, long score, long version) {
        Optional<Scored> row = tx.createQuery("select created_at, score_version from posts where id = :id for update")
                .bind("id", postId).map((rs, ctx) -> new Scored(Sql.instant(rs, "created_at"), rs.getLong("score_version")))
                .findOne();
        if (row.isEmpty()) {
            keepEarlyScore(tx, postId, score, version);
            return;
        }
        if (row.get().version() >= version) {
            return;
        }
        double hot = Hot.rank(score, row.get().createdAt());
        tx.createUpdate("update posts set score = :score, hot = :hot, score_version = :version where id = :id")
                .bind("id", postId).bind("score", score).bind("hot", hot).bind("version", version).execute();
        tx.createUpdate("update post_tags set score = :score, hot = :hot where post_id = :id")
                .bind("id", postId).bind("score", score).bind("hot", hot).execute();
    }

    private static void keepEarlyScore(Handle tx, UUID postId, long score, long version) {
        int inserted = tx.createUpdate("""
                insert into early_scores (post_id, score, version) values (:id, :score, :version)
                on conflict do nothing""").bind("id", postId).bind("score", score).bind("version", version).execute();
        if (inserted == 0) {
            tx.createUpdate("update early_scores set score = :score, version = :version where post_id = :id and version < :version")
                    .bind("id", postId).bind("score", score).bind("version", version).execute();
        }
    }

    /** Removes the post for good: a later event about it changes nothing. The caller holds the post's lock. */
    public void delete(Handle tx, UUID postId) {
        tx.createUpdate("update post_fates set deleted = true where id = :id").bind("id", postId).execute();
        tx.createUpdate("delete from post_tags where post_id = :id").bind("id", postId).execute();
        tx.createUpdate("delete from early_scores where post_id = :id").bind("id", postId).execute();
        tx.createUpdate("delete from posts where id = :id").bind("id", postId).execute();
    }
}
