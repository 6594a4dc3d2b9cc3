package babble.recommend.store;

import babble.platform.db.Sql;
import babble.recommend.domain.Ranked;
import babble.recommend.domain.TopicSort;
import babble.recommend.domain.TopicSort.Position;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The reads of rankings: a topic's posts in each order, and the hottest posts of each source of a feed. */
public final class RankingStore {

    /** Where a feed's posts come from: a table, the column naming the source (tag, author, room) and the post id's. */
    public enum Source {
        TOPICS("post_tags", "tag", "post_id"),
        PEOPLE("posts", "author_id", "id"),
        ROOMS("posts", "room_id", "id");

        private final String table;
        private final String key;
        private final String id;

        Source(String table, String key, String id) {
            this.table = table;
            this.key = key;
            this.id = id;
        }
    }

    /** One page of a topic's visible posts in {@code sort} order, after {@code from}; each order one index range. */
    public List<Position> topicPage(Handle h, String tag, TopicSort sort, Position from, int limit) {
        String after = from == null ? "" : switch (sort) {
            case HOT -> " and (hot < :hot or (hot = :hot and post_id < :id))";
            case NEW -> " and (created_at < :createdAt or (created_at = :createdAt and post_id < :id))";
            case TOP -> " and (score < :score or (score = :score and post_id < :id))";
        };
        String order = switch (sort) {
            // The order of each index, tag and visibility included: H2 then reads one page instead of sorting the topic.
            case HOT -> " order by tag desc, visible desc, hot desc, post_id desc";
            case NEW -> " order by tag desc, visible desc, created_at desc, post_id desc";
            case TOP -> " order by tag desc, visible desc, score desc, post_id desc";
        };
        var query = h.createQuery("select post_id, hot, score, created_at from post_tags where tag = :tag and visible = true"
                        + after + order + " limit :limit")
                .bind("tag", tag).bind("limit", limit);
        if (from != null) {
            query.bind("id", from.id());
            switch (sort) {
                case HOT -> query.bind("hot", from.hot());
                case NEW -> query.bind("createdAt", Sql.utc(from.createdAt()));
                case TOP -> query.bind("score", from.score());
            }
        }
        return query.map((rs, ctx) -> new Position(rs.getDouble("hot"), rs.getLong("score"), Sql.instant(rs, "created_at"),
                Sql.uuid(rs, "post_id"))).list();
    }

    /**
     * The {@code depth} hottest visible posts of a source's keys (followed tags, people or joined rooms) below
     * {@code after} (null: from the top), leaving out posts with a muted tag. One statement: a branch per key, each
     * reading at most {@code depth} entries of its index, merged by the database.
     */
    public List<Ranked> hottest(Handle h, Source source, List<?> keys, List<String> muted, Ranked after, int depth) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String mutedIn = placeholders("m", muted.size());
        String filter = (after == null ? "" : " and (t.hot < :afterHot or (t.hot = :afterHot and t." + source.id + " < :afterId))")
                + (muted.isEmpty() ? "" : " and not exists (select 1 from post_tags m where m.post_id = t." + source.id
                        + " and m.tag in (" + mutedIn + "))");
        var branches = new ArrayList<String>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            branches.add("(select t." + source.id + " as id, t.hot from " + source.table + " t where t." + source.key
                    + " = :k" + i + " and t.visible = true" + filter
                    + " order by t." + source.key + " desc, t.visible desc, t.hot desc, t." + source.id + " desc limit :depth)");
        }
        var query = h.createQuery("select id, hot from (" + String.join(" union all ", branches) + ") u"
                + " order by hot desc, id desc limit :depth").bind("depth", depth);
        for (int i = 0; i < keys.size(); i++) {
            query.bind("k" + i, keys.get(i));
        }
        for (int i = 0; i < muted.size(); i++) {
            query.bind("m" + i, muted.get(i));
        }
        if (after != null) {
            query.bind("afterHot", after.hot()).bind("afterId", after.id());
        }
        return query.map((rs, ctx) -> new Ranked(Sql.uuid(rs, "id"), rs.getDouble("hot"))).list();
    }

    private static String placeholders(String prefix, int count) {
        var names = new ArrayList<String>(count);
        for (int i = 0; i < count; i++) {
            names.add(":" + prefix + i);
        }
        return String.join(", ", names);
    }
}
