package babble.tags.store;

import babble.contracts.api.TopicPreferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for users' topic preferences. */
public final class TopicStore {
    private static final String FOLLOW = "follow";
    private static final String MUTE = "mute";

    /** The user's preferences, each list sorted; empty lists for a user who never set any. */
    public TopicPreferences preferences(Handle h, UUID userId) {
        var follow = new ArrayList<String>();
        var mute = new ArrayList<String>();
        h.createQuery("select tag, preference from topics where user_id = :userId order by user_id, tag")
                .bind("userId", userId)
                .map((rs, ctx) -> Map.entry(rs.getString("tag"), rs.getString("preference")))
                .forEach(row -> (FOLLOW.equals(row.getValue()) ? follow : mute).add(row.getKey()));
        return new TopicPreferences(List.copyOf(follow), List.copyOf(mute));
    }

    /** The number of changes of the user's preferences so far, with the user's row locked until commit. */
    public long lockVersion(Handle tx, UUID userId) {
        tx.createUpdate("insert into topic_versions (user_id, version) values (:userId, 0) on conflict do nothing")
                .bind("userId", userId).execute();
        return tx.createQuery("select version from topic_versions where user_id = :userId for update")
                .bind("userId", userId).mapTo(Long.class).one();
    }

    public void setVersion(Handle tx, UUID userId, long version) {
        tx.createUpdate("update topic_versions set version = :version where user_id = :userId")
                .bind("userId", userId).bind("version", version).execute();
    }

    /** Replaces the user's whole set of preferences. */
    public void replace(Handle tx, UUID userId, TopicPreferences preferences) {
        tx.createUpdate("delete from topics where user_id = :userId").bind("userId", userId).execute();
        var insert = tx.prepareBatch("insert into topics (user_id, tag, preference) values (:userId, :tag, :preference)");
        preferences.follow().forEach(tag -> insert.bind("userId", userId).bind("tag", tag).bind("preference", FOLLOW).add());
        preferences.mute().forEach(tag -> insert.bind("userId", userId).bind("tag", tag).bind("preference", MUTE).add());
        if (insert.size() > 0) {
            insert.execute();
        }
    }
}
