package babble.recommend.domain;

import babble.contracts.api.PostList;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.recommend.store.RankingStore;
import java.util.List;

/** A topic's approved posts from every room, in hot, new or top order, a page at a time. */
public final class TopicListings {
    public static final int MAX_PAGE = 100;

    private final Database db;
    private final RankingStore store;
    private final PostReader posts;

    public TopicListings(Database db, RankingStore store, PostReader posts) {
        this.db = db;
        this.store = store;
        this.posts = posts;
    }

    /** One page, hydrated as the caller sees the posts (any they may no longer read left out). */
    public PostList page(Identity caller, String rawTag, String sortName, int limit, String cursor) {
        caller.requireUser();
        String tag = TagRule.tag("tag", rawTag);
        TopicSort sort = TopicSort.parse(sortName);
        TopicSort.Position from = sort.position(cursor);
        List<TopicSort.Position> rows = db.withHandle(h -> store.topicPage(h, tag, sort, from, limit + 1));
        boolean more = rows.size() > limit;
        List<TopicSort.Position> page = more ? rows.subList(0, limit) : rows;
        var shown = posts.readable(caller, page.stream().map(TopicSort.Position::id).toList());
        return new PostList(shown, more ? sort.cursor(page.getLast()) : null);
    }
}
