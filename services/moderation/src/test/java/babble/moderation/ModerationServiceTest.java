package babble.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.CommentView;
import babble.contracts.api.ModeratedItem;
import babble.contracts.api.ModerationHistory;
import babble.contracts.api.PostView;
import babble.contracts.api.RoomView;
import babble.contracts.events.ItemModerated;
import babble.contracts.events.PostCreated;
import babble.platform.Ids;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.testing.TestHarness;
import babble.posts.PostsService;
import babble.rooms.RoomsService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The moderation service on its real store, fed by a real posts service, asking a real rooms service. */
class ModerationServiceTest {
    static TestHarness harness;
    static final List<ItemModerated> decisions = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService(), new PostsService(), new ModerationService());
        harness.launcher().infrastructure().bus().consume("test-moderation", "events.moderation.>",
                e -> decisions.add(e.dataAs(ItemModerated.class)));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static RoomView room(Identity owner) {
        return harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "moderated"), owner).as(RoomView.class);
    }

    private static PostView post(Identity as, RoomView room, String title) {
        return harness.call("posts", "POST", "/api/v1/rooms/" + room.id() + "/posts", Map.of("title", title), as)
                .as(PostView.class);
    }

    private static CommentView comment(Identity as, PostView post, String text) {
        return harness.call("posts", "POST", "/api/v1/posts/" + post.id() + "/comments", Map.of("text", text), as)
                .as(CommentView.class);
    }

    private static ItemModerated decisionOn(UUID id, long version) {
        await().atMost(Duration.ofSeconds(10)).until(() -> decisions.stream().anyMatch(d -> d.id().equals(id) && d.version() == version));
        return decisions.stream().filter(d -> d.id().equals(id) && d.version() == version).findFirst().orElseThrow();
    }

    @Test
    void theGlobalListRejectsWholeWordsAndEverythingElseIsApproved() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        PostView post = post(owner, room, "Fruit talk");
        CommentView orange = comment(owner, post, "I like Orange!");
        CommentView orangery = comment(owner, post, "an orangery");

        assertThat(decisionOn(post.id(), 1).status()).isEqualTo("approved");
        var rejected = decisionOn(orange.id(), 1);
        assertThat(rejected.status()).isEqualTo("rejected");
        assertThat(rejected.reason()).isEqualTo("blocked word: orange");
        assertThat(rejected.by()).isEqualTo("rules");
        assertThat(rejected.comment().text()).isEqualTo("I like Orange!");
        assertThat(decisionOn(orangery.id(), 1).status()).isEqualTo("approved");
    }

    @Test
    void theOwnersRulesBlockAndHoldAndTheQueueShowsWhatIsHeld() {
        var owner = TestHarness.user("owner");
        var member = TestHarness.user("member");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, member);
        String rules = "/api/v1/rooms/" + room.id() + "/moderation/rules";

        assertThat(harness.call("moderation", "PUT", rules, Map.of("blockedWords", List.of("Kiwi"), "holdWords",
                List.of("mango"), "holdAll", false), member).status()).isEqualTo(403);
        assertThat(harness.call("moderation", "PUT", rules, Map.of("blockedWords", List.of("two words")), owner)
                .invalidField()).isEqualTo("blockedWords");
        var set = harness.call("moderation", "PUT", rules, Map.of("blockedWords", List.of("Kiwi"), "holdWords",
                List.of("mango"), "holdAll", false), owner);
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(harness.call("moderation", "GET", rules, null, owner).json().get("blockedWords").get(0).asText())
                .isEqualTo("kiwi");
        assertThat(harness.call("moderation", "GET", rules, null, member).status()).isEqualTo(403);

        PostView kiwi = post(member, room, "kiwi season");
        PostView mango = post(member, room, "mango season");
        assertThat(decisionOn(kiwi.id(), 1).status()).isEqualTo("rejected");
        assertThat(decisionOn(mango.id(), 1).status()).isEqualTo("held");
        var queue = harness.call("moderation", "GET", "/api/v1/rooms/" + room.id() + "/moderation/queue", null, owner).json();
        assertThat(queue.get("items").size()).isEqualTo(1);
        assertThat(queue.get("items").get(0).get("id").asText()).isEqualTo(mango.id().toString());
        assertThat(harness.call("moderation", "GET", "/api/v1/rooms/" + room.id() + "/moderation/queue", null, member)
                .status()).isEqualTo(403);
    }

    @Test
    void theOwnerOverturnsAnyDecisionAndTheHistoryKeepsEveryOne() {
        var owner = TestHarness.user("owner");
        var author = TestHarness.user("author");
        var other = TestHarness.user("other");
        RoomView room = room(owner);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, author);
        PostView post = post(author, room, "an orange");
        decisionOn(post.id(), 1);
        String item = "/api/v1/moderation/post/" + post.id();

        assertThat(harness.call("moderation", "PUT", item, Map.of("decision", "approve"), author).status()).isEqualTo(403);
        assertThat(harness.call("moderation", "PUT", item, Map.of("decision", "maybe"), owner).invalidField()).isEqualTo("decision");
        assertThat(harness.call("moderation", "PUT", "/api/v1/moderation/poll/" + post.id(), Map.of("decision", "approve"), owner)
                .status()).isEqualTo(404);
        assertThat(harness.call("moderation", "PUT", "/api/v1/moderation/comment/" + post.id(), Map.of("decision", "approve"), owner)
                .status()).isEqualTo(404);
        var approved = harness.call("moderation", "PUT", item, Map.of("decision", "approve", "reason", "it is about fruit"), owner);
        assertThat(approved.as(ModeratedItem.class).status()).isEqualTo("approved");
        var rejected = harness.call("moderation", "PUT", item, Map.of("decision", "reject"), owner).as(ModeratedItem.class);
        assertThat(rejected.reason()).isEqualTo("rejected by the room's owner");
        assertThat(decisionOn(post.id(), 3).previousStatus()).isEqualTo("approved");

        var history = harness.call("moderation", "GET", item + "/history", null, author).as(ModerationHistory.class).history();
        assertThat(history).extracting(ModerationHistory.Entry::status).containsExactly("rejected", "approved", "rejected");
        assertThat(history).extracting(ModerationHistory.Entry::by)
                .containsExactly("rules", owner.userId().toString(), owner.userId().toString());
        assertThat(history.get(1).reason()).isEqualTo("it is about fruit");
        assertThat(harness.call("moderation", "GET", item + "/history", null, owner).status()).isEqualTo(200);
        assertThat(harness.call("moderation", "GET", item + "/history", null, other).status()).isEqualTo(403);
    }

    @Test
    void anItemIsDecidedOnceHoweverOftenItsEventComes() {
        var owner = TestHarness.user("owner");
        RoomView room = room(owner);
        PostView post = post(owner, room, "once");
        decisionOn(post.id(), 1);
        var bus = harness.launcher().infrastructure().bus();

        for (int i = 0; i < 3; i++) { // the same item announced again under new event ids (a republishing relay)
            var again = new Event(Ids.newId(), PostCreated.TYPE, 1, Instant.now(), room.id().toString(),
                    Json.toTree(new PostCreated(post)), Map.of());
            bus.publish(again.subject(), again.id(), again.encode());
        }
        PostView after = post(owner, room, "after"); // decided after the copies: they have been consumed by then
        decisionOn(after.id(), 1);

        assertThat(decisions.stream().filter(d -> d.id().equals(post.id()))).hasSize(1);
        var history = harness.call("moderation", "GET", "/api/v1/moderation/post/" + post.id() + "/history", null, owner)
                .as(ModerationHistory.class).history();
        assertThat(history).hasSize(1);
    }
}
