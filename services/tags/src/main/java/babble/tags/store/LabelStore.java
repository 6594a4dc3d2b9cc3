package babble.tags.store;

import babble.platform.db.Sql;
import babble.tags.domain.LabelCursor;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for users' private labels on posts. */
public final class LabelStore {
    /** A post a user labelled with some tag, and when. */
    public record Labelled(UUID postId, Instant at) {
    }

    /** The user's labels on the post, sorted. */
    public List<String> labels(Handle h, UUID userId, UUID postId) {
        return h.createQuery("select tag from labels where user_id = :userId and post_id = :postId order by tag")
                .bind("userId", userId).bind("postId", postId).mapTo(String.class).list();
    }

    /** The number of changes of the user's labels on the post so far, with that row locked until commit. */
    public long lockVersion(Handle tx, UUID userId, UUID postId) {
        tx.createUpdate("""
                insert into label_versions (user_id, post_id, version) values (:userId, :postId, 0)
                on conflict do nothing""").bind("userId", userId).bind("postId", postId).execute();
        return tx.createQuery("select version from label_versions where user_id = :userId and post_id = :postId for update")
                .bind("userId", userId).bind("postId", postId).mapTo(Long.class).one();
    }

    public void setVersion(Handle tx, UUID userId, UUID postId, long version) {
        tx.createUpdate("update label_versions set version = :version where user_id = :userId and post_id = :postId")
                .bind("userId", userId).bind("postId", postId).bind("version", version).execute();
    }

    public void add(Handle tx, UUID userId, UUID postId, Collection<String> tags, Instant at) {
        write(tx, "insert into labels (user_id, post_id, tag, labelled_at) values (:userId, :postId, :tag, :at)",
                userId, postId, tags, at);
    }

    public void remove(Handle tx, UUID userId, UUID postId, Collection<String> tags) {
        write(tx, "delete from labels where user_id = :userId and post_id = :postId and tag = :tag", userId, postId, tags, null);
    }

    private static void write(Handle tx, String sql, UUID userId, UUID postId, Collection<String> tags, Instant at) {
        if (tags.isEmpty()) {
            return;
        }
        var batch = tx.prepareBatch(sql);
        for (String tag : tags) {
            batch.bind("userId", userId).bind("postId", postId).bind("tag", tag);
            if (at != null) {
                batch.bind("at", Sql.utc(at));
            }
            batch.add();
        }
        batch.execute();
    }

    /** One page of the posts the user labelled {@code tag}, newest label first, after {@code after}. */
    public List<Labelled> labelled(Handle h, UUID userId, String tag, LabelCursor after, int limit) {
        String page = after == null ? "" : " and (labelled_at < :at or (labelled_at = :at and post_id < :afterId))";
        var query = h.createQuery("select post_id, labelled_at from labels where user_id = :userId and tag = :tag" + page
                        // The index's own order, so a page is read straight from it.
                        + " order by user_id desc, tag desc, labelled_at desc, post_id desc limit :limit")
                .bind("userId", userId).bind("tag", tag).bind("limit", limit);
        if (after != null) {
            query.bind("at", Sql.utc(after.at())).bind("afterId", after.postId());
        }
        return query.map((rs, ctx) -> new Labelled(Sql.uuid(rs, "post_id"), Sql.instant(rs, "labelled_at"))).list();
    }
}
