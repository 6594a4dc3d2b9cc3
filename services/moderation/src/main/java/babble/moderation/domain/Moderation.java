package babble.moderation.domain;

import babble.contracts.api.CommentView;
import babble.contracts.api.DecisionRequest;
import babble.contracts.api.ModeratedItem;
import babble.contracts.api.ModerationHistory;
import babble.contracts.api.ModerationRules;
import babble.contracts.api.PostView;
import babble.contracts.api.ReviewItem;
import babble.contracts.api.ReviewQueue;
import babble.contracts.internal.RoomAccess;
import babble.moderation.events.ModerationEvents;
import babble.moderation.store.ModerationStore;
import babble.platform.db.Database;
import babble.platform.http.Cursors;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.Forbidden;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Decides every new post and comment once, from the global list and the room's rules; lets a room's owner hold,
 * approve and reject by hand, overturning any earlier decision; keeps every decision in an append-only history.
 * Each decision is announced ({@code moderation.decided}) in the transaction that records it.
 */
public final class Moderation {
    public static final String RULES = "rules";
    private static final Set<String> KINDS = Set.of(Item.POST, Item.COMMENT);
    private static final int MAX_REASON = 500;

    private final Database db;
    private final ModerationStore store;
    private final ModerationEvents events;
    private final RoomGate rooms;
    private final WordRules global;
    private final Clock clock;

    public Moderation(Database db, ModerationStore store, ModerationEvents events, RoomGate rooms, WordRules global,
                      Clock clock) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.rooms = rooms;
        this.global = global;
        this.clock = clock;
    }

    // ---- decisions by the rules, from events ----

    private static final String IMPORT = "import";

    public void postCreated(Handle tx, PostView post) {
        String text = post.body() == null ? post.title() : post.title() + "\n\n" + post.body();
        var item = new Item(Item.POST, post.id(), post.id(), post.roomId(), post.author(), text, Json.text(post),
                post.createdAt(), null, null, 0, false);
        if ("approved".equals(post.status())) {
            // Imported by the room's owner, approved as written: recorded (the owner may still overturn it), and
            // nothing to announce, since every reader already takes the post as approved.
            Item imported = item.decided("approved", null);
            if (store.insertItem(tx, imported)) {
                store.appendHistory(tx, imported, IMPORT, clock.instant());
            }
            return;
        }
        decideNew(tx, item);
    }

    public void commentCreated(Handle tx, CommentView comment) {
        decideNew(tx, new Item(Item.COMMENT, comment.id(), comment.postId(), comment.roomId(), comment.author(),
                comment.text(), Json.text(comment), comment.createdAt(), null, null, 0, false));
    }

    public void postDeleted(Handle tx, UUID postId) {
        store.markPostDeleted(tx, postId);
    }

    /** The rules as they are now; an item already known (its event came again) is not decided twice. */
    private void decideNew(Handle tx, Item fresh) {
        Verdict verdict = Verdict.of(fresh.text(), global, store.rules(tx, fresh.roomId()));
        Item decided = fresh.decided(verdict.status(), verdict.reason());
        if (store.insertItem(tx, decided)) {
            store.appendHistory(tx, decided, RULES, clock.instant());
            events.decided(tx, decided, null, RULES);
        }
    }

    // ---- the owner's calls ----

    public ModerationRules rules(Identity caller, UUID roomId) {
        requireOwner(roomId, caller.requireUser());
        return db.withHandle(h -> store.rules(h, roomId)).view();
    }

    public ModerationRules setRules(Identity caller, UUID roomId, ModerationRules request) {
        RoomRules rules = RoomRules.from(request);
        requireOwner(roomId, caller.requireUser());
        db.useTransaction(tx -> store.saveRules(tx, roomId, rules));
        return rules.view();
    }

    public ReviewQueue queue(Identity caller, UUID roomId, int limit, String cursor) {
        requireOwner(roomId, caller.requireUser());
        UUID after = Cursors.decodeId(cursor);
        List<Item> held = db.withHandle(h -> store.held(h, roomId, after, limit + 1));
        boolean more = held.size() > limit;
        var page = more ? held.subList(0, limit) : held;
        var items = page.stream().map(i -> new ReviewItem(i.kind(), i.id(), i.kind().equals(Item.POST) ? null : i.postId(),
                i.author(), i.text(), i.reason(), i.createdAt())).toList();
        return new ReviewQueue(items, more ? Cursors.encode(page.getLast().id()) : null);
    }

    public ModeratedItem decide(Identity caller, String kind, UUID id, DecisionRequest request) {
        UUID userId = caller.requireUser();
        String status = switch (request.decision() == null ? "" : request.decision()) {
            case "approve" -> Verdict.APPROVED;
            case "reject" -> Verdict.REJECTED;
            default -> throw new InvalidField("decision", "must be approve or reject");
        };
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().strip();
        if (reason != null && reason.codePointCount(0, reason.length()) > MAX_REASON) {
            throw new InvalidField("reason", "must be at most " + MAX_REASON + " characters");
        }
        Item known = item(kind, id);
        requireOwner(known.roomId(), userId);
        String why = reason != null || status.equals(Verdict.APPROVED) ? reason : "rejected by the room's owner";
        Item decided = db.inTransaction(tx -> {
            Item current = store.lock(tx, id).orElseThrow(() -> NotFound.of(kind, id));
            Item next = current.decided(status, why);
            store.updateDecision(tx, next);
            store.appendHistory(tx, next, userId.toString(), clock.instant());
            events.decided(tx, next, current.status(), userId.toString());
            return next;
        });
        return view(decided);
    }

    public ModerationHistory history(Identity caller, String kind, UUID id) {
        UUID userId = caller.requireUser();
        Item item = item(kind, id);
        if (!item.author().id().equals(userId)) {
            requireOwner(item.roomId(), userId);
        }
        return new ModerationHistory(db.withHandle(h -> store.history(h, id)));
    }

    private Item item(String kind, UUID id) {
        if (!KINDS.contains(kind)) {
            throw NotFound.of("kind", kind);
        }
        return db.withHandle(h -> store.find(h, id)).filter(i -> i.kind().equals(kind))
                .orElseThrow(() -> NotFound.of(kind, id));
    }

    private void requireOwner(UUID roomId, UUID userId) {
        RoomAccess access = rooms.access(roomId, userId);
        if (!access.owner()) {
            throw new Forbidden("only the owner of room " + roomId + " may moderate it");
        }
    }

    public static ModeratedItem view(Item item) {
        return new ModeratedItem(item.kind(), item.id(), item.postId(), item.roomId(), item.status(), item.reason());
    }
}
