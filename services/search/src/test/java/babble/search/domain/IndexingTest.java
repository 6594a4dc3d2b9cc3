package babble.search.domain;

import static org.assertj.core.api.Assertions.assertThat;

import babble.contracts.api.CommentView;
import babble.contracts.api.MessageView;
import babble.contracts.api.PostView;
import babble.contracts.api.UserView;
import babble.contracts.events.ItemModerated;
import babble.contracts.events.MessageChanged;
import babble.contracts.events.MessageCreated;
import babble.contracts.events.PostCreated;
import babble.contracts.events.PostDeleted;
import babble.contracts.events.PostVoted;
import babble.platform.bus.Event;
import babble.platform.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The index's item states under events arriving in any order and more than once: the outcome depends only on
 * which events happened, never on their order across streams.
 */
class IndexingTest {
    private final Indexing indexing = new Indexing();
    private final Items items = new Items();
    private final UUID room = UUID.randomUUID();
    private final UserView alice = new UserView(UUID.randomUUID(), "alice", "Alice");
    private final Instant at = Instant.parse("2026-01-02T03:04:05Z");

    /** Item states in memory, as the index would hold them. */
    private static final class Items implements ItemLookup {
        final Map<UUID, ItemState> states = new HashMap<>();
        int writes;

        @Override
        public ItemState find(UUID id) {
            return states.get(id);
        }

        @Override
        public List<ItemState> commentsOf(UUID postId) {
            return new ArrayList<>(states.values().stream()
                    .filter(s -> s.isComment() && Objects.equals(s.postId(), postId)).toList());
        }

        @Override
        public void put(ItemState state) {
            states.put(state.id(), state);
            writes++;
        }
    }

    private void apply(Object... events) {
        for (Object data : events) {
            String type = switch (data) {
                case PostCreated p -> PostCreated.TYPE;
                case PostVoted v -> PostVoted.TYPE;
                case PostDeleted d -> PostDeleted.TYPE;
                case ItemModerated m -> ItemModerated.TYPE;
                case MessageCreated m -> MessageCreated.TYPE;
                case MessageChanged m -> MessageChanged.TYPE;
                default -> throw new IllegalArgumentException(data.toString());
            };
            indexing.apply(new Event(UUID.randomUUID(), type, 1, at, room.toString(), Json.toTree(data), Map.of()), items);
        }
    }

    private PostView post(UUID id, String status, long score) {
        return new PostView(id, room, alice, "A title", "A body", null, List.of("garden"), score, 0, 0, status, null, at);
    }

    private ItemModerated decision(PostView post, String status, long version) {
        return new ItemModerated("post", post.id(), post.id(), room, alice.id(), status, null, null, "rules", version, at,
                post, null);
    }

    private ItemModerated decision(CommentView comment, String status, long version) {
        return new ItemModerated("comment", comment.id(), comment.postId(), room, alice.id(), status, null, null, "rules",
                version, at, null, comment);
    }

    private CommentView comment(UUID postId) {
        return new CommentView(UUID.randomUUID(), postId, room, null, alice, "A comment", "pending", null, at);
    }

    private boolean shown(UUID id) {
        ItemState state = items.find(id);
        return state != null && state.visible();
    }

    @Test
    void aPendingPostIsShownOnlyOnceApprovedAndTheNewestDecisionWins() {
        PostView post = post(UUID.randomUUID(), "pending", 0);

        apply(new PostCreated(post));
        assertThat(shown(post.id())).isFalse();
        apply(decision(post, "rejected", 2), decision(post, "approved", 1));
        assertThat(shown(post.id())).isFalse();
        apply(decision(post, "approved", 3));
        assertThat(shown(post.id())).isTrue();
    }

    @Test
    void anImportedPostIsShownAtOnceWithItsScoreUntilTheOwnerOverturnsIt() {
        PostView post = post(UUID.randomUUID(), "approved", 42);

        apply(new PostCreated(post));
        assertThat(shown(post.id())).isTrue();
        assertThat(items.find(post.id()).votes()).isEqualTo(42);
        apply(decision(post, "rejected", 1));
        assertThat(shown(post.id())).isFalse();
    }

    @Test
    void votesKeepTheNewestScoreWhateverTheOrder() {
        PostView post = post(UUID.randomUUID(), "pending", 0);

        apply(new PostVoted(post.id(), room, alice.id(), 1, 5, 7), decision(post, "approved", 1),
                new PostVoted(post.id(), room, alice.id(), 1, 3, 4));

        assertThat(shown(post.id())).isTrue();
        assertThat(items.find(post.id()).votes()).isEqualTo(5);
    }

    @Test
    void aDeletedPostStaysGoneEvenIfItsApprovalArrivesLater() {
        PostView post = post(UUID.randomUUID(), "pending", 0);

        apply(new PostDeleted(post.id(), room, alice.id(), 2), decision(post, "approved", 1));

        assertThat(shown(post.id())).isFalse();
        assertThat(items.find(post.id()).post()).isNull();
    }

    @Test
    void aCommentIsShownOnlyWhileItAndItsPostAreApprovedAndGoesWithItsPost() {
        PostView post = post(UUID.randomUUID(), "pending", 0);
        CommentView early = comment(post.id());
        CommentView late = comment(post.id());

        apply(decision(early, "approved", 1));
        assertThat(shown(early.id())).isFalse(); // its post is not known to be approved yet
        apply(decision(post, "approved", 1));
        assertThat(shown(early.id())).isTrue();
        apply(new PostDeleted(post.id(), room, alice.id(), 3), decision(late, "approved", 1));

        assertThat(shown(early.id())).isFalse();
        assertThat(shown(late.id())).isFalse();
        assertThat(items.find(early.id()).deleted()).isTrue();
        assertThat(items.find(late.id()).deleted()).isTrue();
    }

    @Test
    void aRejectedPostHidesItsCommentsAndAnApprovalBringsThemBack() {
        PostView post = post(UUID.randomUUID(), "pending", 0);
        CommentView comment = comment(post.id());
        apply(decision(post, "approved", 1), decision(comment, "approved", 1));
        assertThat(shown(comment.id())).isTrue();

        apply(decision(post, "held", 2));
        assertThat(shown(comment.id())).isFalse();
        apply(decision(post, "approved", 3));
        assertThat(shown(comment.id())).isTrue();
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        PostView post = post(UUID.randomUUID(), "pending", 0);
        var message = new MessageView(UUID.randomUUID(), room, 1, alice.id(), "alice", "hello", at);
        Object[] events = {decision(post, "approved", 1), new PostVoted(post.id(), room, alice.id(), 1, 1, 2),
                new MessageCreated(message)};
        apply(events);
        int writes = items.writes;
        var before = new HashMap<>(items.states);

        apply(events);

        assertThat(items.writes).isEqualTo(writes);
        assertThat(items.states).isEqualTo(before);
        assertThat(shown(message.id())).isTrue();
    }

    @Test
    void aMessageIsFoundByItsNewestTextAndNotAtAllOnceDeletedWhateverIsDeliveredAgain() {
        var message = new MessageView(UUID.randomUUID(), room, 1, alice.id(), "alice", "helo", at);
        var edited = new MessageView(message.id(), room, 1, alice.id(), "alice", "hello", at, at.plusSeconds(5), false, List.of(), List.of());
        var tombstone = MessageView.tombstone(message.id(), room, 1, at);

        apply(new MessageCreated(message), new MessageChanged(edited, 1));
        assertThat(items.find(message.id()).message().text()).isEqualTo("hello");
        apply(new MessageCreated(message)); // a redelivery of the post does not undo the edit
        assertThat(items.find(message.id()).message().text()).isEqualTo("hello");

        apply(new MessageChanged(tombstone, 2), new MessageChanged(edited, 1)); // the older edit arrives again, late
        assertThat(shown(message.id())).isFalse();
        assertThat(items.find(message.id()).deleted()).isTrue();
    }
}
