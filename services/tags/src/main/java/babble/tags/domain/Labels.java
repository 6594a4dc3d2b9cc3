package babble.tags.domain;

import babble.contracts.api.LabelsRequest;
import babble.contracts.api.PostLabels;
import babble.contracts.api.PostList;
import babble.contracts.api.PostView;
import babble.contracts.events.LabelsChanged;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.problem.BadRequest;
import babble.platform.problem.NotFound;
import babble.tags.events.TagEvents;
import babble.tags.store.LabelStore;
import babble.tags.store.LabelStore.Labelled;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The rules of private labels: a user labels any post they may read with up to 20 tags, seen only by them; a
 * change replaces the post's whole set (a label kept keeps its time) and is announced with the next version of
 * that user's labels on that post, unless it changes nothing.
 */
public final class Labels {
    public static final int MAX_LABELS = 20;
    public static final int MAX_PAGE = 100;

    private final Database db;
    private final LabelStore store;
    private final PostReader posts;
    private final TagEvents events;
    private final Clock clock;

    public Labels(Database db, LabelStore store, PostReader posts, TagEvents events, Clock clock) {
        this.db = db;
        this.store = store;
        this.posts = posts;
        this.events = events;
        this.clock = clock;
    }

    public PostLabels get(Identity caller, UUID postId) {
        UUID userId = caller.requireUser();
        return new PostLabels(postId, db.withHandle(h -> store.labels(h, userId, postId)));
    }

    public PostLabels replace(Identity caller, UUID postId, LabelsRequest request) {
        UUID userId = caller.requireUser();
        if (request == null) {
            throw new BadRequest("the request body must be a JSON object");
        }
        List<String> wanted = TagRule.tags("labels", request.labels(), MAX_LABELS);
        if (posts.readable(caller, List.of(postId)).isEmpty()) {
            throw NotFound.of("post", postId);
        }
        return db.inTransaction(tx -> {
            long version = store.lockVersion(tx, userId, postId);
            List<String> current = store.labels(tx, userId, postId);
            if (current.equals(wanted)) {
                return new PostLabels(postId, wanted);
            }
            var removed = new TreeSet<>(current);
            removed.removeAll(wanted);
            var added = new TreeSet<>(wanted);
            added.removeAll(current);
            store.remove(tx, userId, postId, removed);
            store.add(tx, userId, postId, added, clock.instant());
            store.setVersion(tx, userId, postId, version + 1);
            events.labelsChanged(tx, new LabelsChanged(userId, postId, wanted, version + 1));
            return new PostLabels(postId, wanted);
        });
    }

    /** A page of the posts the caller labelled {@code tag}, newest label first; posts they can no longer read left out. */
    public PostList labelled(Identity caller, String rawTag, int limit, String cursor) {
        UUID userId = caller.requireUser();
        String tag = TagRule.tag("tag", rawTag);
        LabelCursor after = LabelCursor.decode(cursor);
        List<Labelled> rows = db.withHandle(h -> store.labelled(h, userId, tag, after, limit + 1));
        boolean more = rows.size() > limit;
        List<Labelled> page = more ? rows.subList(0, limit) : rows;
        List<PostView> shown = posts.readable(caller, page.stream().map(Labelled::postId).toList());
        String next = more ? new LabelCursor(page.getLast().at(), page.getLast().postId()).encode() : null;
        return new PostList(shown, next);
    }
}
