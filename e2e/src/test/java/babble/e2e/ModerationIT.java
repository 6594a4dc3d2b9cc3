package babble.e2e;

import static babble.e2e.PostsApi.DECISION;
import static babble.e2e.PostsApi.READ_MODEL;
import static babble.e2e.PostsApi.allComments;
import static babble.e2e.PostsApi.allPosts;
import static babble.e2e.PostsApi.assertField;
import static babble.e2e.PostsApi.assertProblem;
import static babble.e2e.PostsApi.awaitComment;
import static babble.e2e.PostsApi.awaitPost;
import static babble.e2e.PostsApi.decide;
import static babble.e2e.PostsApi.decideCall;
import static babble.e2e.PostsApi.decisionPath;
import static babble.e2e.PostsApi.eventually;
import static babble.e2e.PostsApi.everyPage;
import static babble.e2e.PostsApi.getPost;
import static babble.e2e.PostsApi.history;
import static babble.e2e.PostsApi.historyPath;
import static babble.e2e.PostsApi.ids;
import static babble.e2e.PostsApi.newComment;
import static babble.e2e.PostsApi.newPost;
import static babble.e2e.PostsApi.ok;
import static babble.e2e.PostsApi.postPath;
import static babble.e2e.PostsApi.putRules;
import static babble.e2e.PostsApi.queuePath;
import static babble.e2e.PostsApi.rulesPath;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.client.LiveClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * API.md, "Moderation is asynchronous": the global blocked word, a room's own rules, the owner's queue and
 * decisions (which may overturn any status), every item's history, who may do each, and the live frames that
 * tell members about posts becoming visible and authors about decisions on their own items.
 */
class ModerationIT extends E2E {
    private static final List<String> QUEUE_ITEM_FIELDS = List.of("kind", "id", "postId", "author", "text", "reason",
            "createdAt");

    private static String id(JsonNode item) {
        return item.get("id").asText();
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(t -> out.add(t.asText()));
        return out;
    }

    /** A room of {@code owner} with {@code members} joined, and an approved post of the owner's in it. */
    private record Community(UUID room, String post) {
    }

    private static Community community(UserSession owner, String name, UserSession... members) {
        UUID room = owner.createRoom(name).id();
        for (var member : members) {
            member.join(room);
        }
        String post = id(newPost(owner, room, "Welcome to " + name));
        awaitPost(owner, post, "approved");
        return new Community(room, post);
    }

    private static List<JsonNode> queue(UserSession owner, UUID room) {
        return everyPage(owner, queuePath(room) + "?limit=200", "items");
    }

    // ---- rules ----

    @Test
    void theGlobalRuleBlocksOrangeAsAWholeWordIgnoringCase() {
        var ann = newUser("ann"); // owner
        var ben = newUser("ben");
        var cy = newUser("cy");   // reads only
        var c = community(ann, "fruit talk", ben);

        String blocked = id(newComment(ben, c.post(), "I like Orange!"));
        String shouting = id(newComment(ben, c.post(), "ORANGE"));
        String orangery = id(newComment(ben, c.post(), "We visited an orangery"));
        String orangeade = id(newComment(ben, c.post(), "orangeade, please"));
        String title = id(newPost(ben, c.room(), "Orange juice recipes"));
        String body = id(newPost(ben, c.room(), Map.of("title", "Juice recipes", "body", "Squeeze one orange.")));

        for (String rejected : List.of(blocked, shouting)) {
            JsonNode comment = awaitComment(ben, c.post(), rejected, "rejected");
            assertThat(comment.get("reason").asText()).containsIgnoringCase("orange");
        }
        for (String approved : List.of(orangery, orangeade)) {
            assertThat(awaitComment(ben, c.post(), approved, "approved").get("reason").isNull()).isTrue();
        }
        for (String rejected : List.of(title, body)) {
            assertThat(awaitPost(ben, rejected, "rejected").get("reason").asText()).containsIgnoringCase("orange");
            assertProblem(getPost(cy, rejected), 404);
        }
        eventually(READ_MODEL, () -> assertThat(ids(allComments(cy, c.post(), 100))).containsExactly(orangery, orangeade));
        assertThat(ok(cy, postPath(c.post())).get("commentCount").asLong()).isEqualTo(2);

        List<JsonNode> entries = history(ben, "comment", blocked);
        assertThat(entries).hasSize(1);
        assertThat(entries.getFirst().get("status").asText()).isEqualTo("rejected");
        assertThat(entries.getFirst().get("by").asText()).isEqualTo("rules");
        assertThat(entries.getFirst().get("reason").asText()).containsIgnoringCase("orange");
        assertThat(Instant.parse(entries.getFirst().get("at").asText())).isNotNull();
        List<JsonNode> fine = history(ben, "comment", orangery);
        assertThat(fine).singleElement().satisfies(e -> {
            assertThat(e.get("status").asText()).isEqualTo("approved");
            assertThat(e.get("by").asText()).isEqualTo("rules");
            assertThat(e.get("reason").isNull()).isTrue();
        });
    }

    @Test
    void roomRulesRejectBlockedWordsAndHoldHoldWordsForTheOwner() {
        var dee = newUser("dee"); // owner
        var eli = newUser("eli");
        var fay = newUser("fay"); // reads only
        var c = community(dee, "rules apply", eli);
        String before = id(newComment(eli, c.post(), "kiwi, before any rules"));
        awaitComment(eli, c.post(), before, "approved");

        JsonNode defaults = ok(dee, rulesPath(c.room()));
        assertThat(defaults.get("blockedWords")).isEmpty();
        assertThat(defaults.get("holdWords")).isEmpty();
        assertThat(defaults.get("holdAll").asBoolean()).isFalse();
        JsonNode put = putRules(dee, c.room(), List.of("Kiwi", "kiwi", "don't"), List.of("MANGO"), false);
        assertThat(texts(put.get("blockedWords"))).containsExactlyInAnyOrder("kiwi", "don't");
        assertThat(texts(put.get("holdWords"))).containsExactly("mango");
        assertThat(put.get("holdAll").asBoolean()).isFalse();
        JsonNode read = ok(dee, rulesPath(c.room()));
        assertThat(texts(read.get("blockedWords"))).containsExactlyInAnyOrder("kiwi", "don't");
        assertThat(texts(read.get("holdWords"))).containsExactly("mango");

        String kiwi = id(newComment(eli, c.post(), "A KIWI please"));
        String dont = id(newComment(eli, c.post(), "Don't do that"));
        String mango = id(newComment(eli, c.post(), "Mango season!"));
        String orange = id(newComment(eli, c.post(), "orange still counts here"));
        String heldPost = id(newPost(eli, c.room(), Map.of("title", "All about mango")));
        String fine = id(newComment(eli, c.post(), "kiwifruit and mangoes are other words"));

        assertThat(awaitComment(eli, c.post(), kiwi, "rejected").get("reason").asText()).containsIgnoringCase("kiwi");
        assertThat(awaitComment(eli, c.post(), dont, "rejected").get("reason").asText()).containsIgnoringCase("don't");
        assertThat(awaitComment(eli, c.post(), orange, "rejected").get("reason").asText()).containsIgnoringCase("orange");
        assertThat(awaitComment(eli, c.post(), mango, "held").get("reason").isNull()).as("held says why").isFalse();
        assertThat(awaitPost(eli, heldPost, "held").get("reason").isNull()).isFalse();
        awaitComment(eli, c.post(), fine, "approved");
        assertThat(awaitComment(eli, c.post(), before, "approved").get("status").asText())
                .as("rules apply to items created afterwards").isEqualTo("approved");

        List<JsonNode> held = queue(dee, c.room());
        assertThat(ids(held)).containsExactly(mango, heldPost); // oldest first
        JsonNode item = held.getFirst();
        assertThat(item.get("kind").asText()).isEqualTo("comment");
        assertThat(item.get("postId").asText()).isEqualTo(c.post());
        assertThat(item.get("author").get("id").asText()).isEqualTo(eli.id().toString());
        assertThat(item.get("text").asText()).isEqualTo("Mango season!");
        assertThat(item.get("reason").isNull()).isFalse();
        assertThat(Instant.parse(item.get("createdAt").asText())).isNotNull();
        var names = new ArrayList<String>();
        item.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsAll(QUEUE_ITEM_FIELDS);
        assertThat(held.get(1).get("kind").asText()).isEqualTo("post");
        assertThat(held.get(1).get("text").asText()).contains("All about mango");
        assertThat(ids(allComments(fay, c.post(), 100))).containsExactly(before, fine);
        assertProblem(getPost(fay, heldPost), 404);
    }

    @Test
    void holdAllHoldsEveryNewItemAndTheQueuePagesOldestFirst() {
        var gil = newUser("gil"); // owner
        var hop = newUser("hop");
        var ivo = newUser("ivo"); // reads only
        var c = community(gil, "hold everything", hop);
        putRules(gil, c.room(), List.of(), List.of(), true);
        assertThat(ok(gil, rulesPath(c.room())).get("holdAll").asBoolean()).isTrue();

        List<String> created = new ArrayList<>();
        created.add(id(newPost(hop, c.room(), "An ordinary post")));
        created.add(id(newComment(hop, c.post(), "An ordinary comment")));
        created.add(id(newPost(hop, c.room(), Map.of("title", "Another", "body", "with a body"))));
        created.add(id(newComment(hop, c.post(), "Another comment")));

        eventually(DECISION, () -> assertThat(ids(queue(gil, c.room()))).isEqualTo(created));
        assertThat(ids(everyPage(gil, queuePath(c.room()) + "?limit=1", "items"))).isEqualTo(created);
        JsonNode firstPage = ok(gil, queuePath(c.room()) + "?limit=3");
        assertThat(firstPage.get("items")).hasSize(3);
        assertThat(firstPage.get("next").isNull()).isFalse();
        assertThat(awaitPost(hop, created.get(0), "held").get("status").asText()).isEqualTo("held");
        assertThat(awaitComment(hop, c.post(), created.get(1), "held").get("status").asText()).isEqualTo("held");
        assertThat(ids(allPosts(ivo, c.room(), "new", 100))).containsExactly(c.post());
        assertThat(allComments(ivo, c.post(), 100)).isEmpty();
        for (String limit : List.of("0", "201")) {
            assertField(gil.call("GET", queuePath(c.room()) + "?limit=" + limit, null), "limit");
        }
        assertField(gil.call("GET", queuePath(c.room()) + "?cursor=bm90LWEtY3Vyc29y", null), "cursor");
    }

    @Test
    void invalidRulesAre422NamingTheList() {
        var jan = newUser("jan");
        UUID room = jan.createRoom("bad rules").id();
        String path = rulesPath(room);

        assertField(jan.call("PUT", path, Map.of("blockedWords", List.of("two words"), "holdWords", List.of(), "holdAll", false)),
                "blockedWords");
        assertField(jan.call("PUT", path, Map.of("blockedWords", List.of(""), "holdWords", List.of(), "holdAll", false)),
                "blockedWords");
        assertField(jan.call("PUT", path, Map.of("blockedWords", List.of("w".repeat(65)), "holdWords", List.of(), "holdAll", false)),
                "blockedWords");
        assertField(jan.call("PUT", path, Map.of("blockedWords", List.of("semi;colon"), "holdWords", List.of(), "holdAll", false)),
                "blockedWords");
        List<String> many = IntStream.rangeClosed(1, 201).mapToObj(i -> "word" + i).toList();
        assertField(jan.call("PUT", path, Map.of("blockedWords", List.of(), "holdWords", many, "holdAll", false)), "holdWords");
        assertProblem(jan.call("PUT", path, "{\"blockedWords\": "), 400);

        JsonNode longest = putRules(jan, room, IntStream.rangeClosed(1, 200).mapToObj(i -> "word" + i).toList(),
                List.of("w".repeat(64)), false);
        assertThat(longest.get("blockedWords")).hasSize(200);
        assertThat(texts(ok(jan, path).get("holdWords"))).containsExactly("w".repeat(64));
    }

    @Test
    void onlyTheOwnerReadsOrChangesRulesAndTheQueue() {
        var kit = newUser("kit"); // owner
        var lou = newUser("lou"); // member
        var max = newUser("max"); // not a member
        UUID room = kit.createRoom("owner only").id();
        lou.join(room);
        Map<String, Object> rules = Map.of("blockedWords", List.of("nope"), "holdWords", List.of(), "holdAll", true);

        for (var other : List.of(lou, max)) {
            assertProblem(other.call("GET", rulesPath(room), null), 403);
            assertProblem(other.call("PUT", rulesPath(room), rules), 403);
            assertProblem(other.call("GET", queuePath(room), null), 403);
        }
        UUID unknown = UUID.randomUUID();
        assertProblem(kit.call("GET", rulesPath(unknown), null), 404);
        assertProblem(kit.call("PUT", rulesPath(unknown), rules), 404);
        assertProblem(kit.call("GET", queuePath(unknown), null), 404);

        JsonNode unchanged = ok(kit, rulesPath(room));
        assertThat(unchanged.get("blockedWords")).isEmpty();
        assertThat(unchanged.get("holdAll").asBoolean()).isFalse();
    }

    // ---- the owner's decisions ----

    @Test
    void theOwnerApprovesAHeldItemAndOthersSeeIt() {
        var ned = newUser("ned"); // owner
        var oz = newUser("oz");
        var pia = newUser("pia"); // reads only
        var c = community(ned, "approvals", oz);
        putRules(ned, c.room(), List.of(), List.of("mango"), false);
        String comment = id(newComment(oz, c.post(), "mango lassi"));
        awaitComment(oz, c.post(), comment, "held");
        eventually(READ_MODEL, () -> assertThat(ids(queue(ned, c.room()))).containsExactly(comment));
        assertThat(allComments(pia, c.post(), 100)).isEmpty();

        ApiResponse response = decideCall(ned, "comment", comment, "approve", null);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode decided = response.json();
        assertThat(decided.get("kind").asText()).isEqualTo("comment");
        assertThat(id(decided)).isEqualTo(comment);
        assertThat(decided.get("postId").asText()).isEqualTo(c.post());
        assertThat(decided.get("roomId").asText()).isEqualTo(c.room().toString());
        assertThat(decided.get("status").asText()).isEqualTo("approved");
        assertThat(decided.get("reason").isNull()).isTrue();
        eventually(READ_MODEL, () -> assertThat(ids(allComments(pia, c.post(), 100))).containsExactly(comment));
        eventually(READ_MODEL, () -> assertThat(ok(pia, postPath(c.post())).get("commentCount").asLong()).isEqualTo(1));
        assertThat(queue(ned, c.room())).isEmpty();

        List<JsonNode> entries = history(ned, "comment", comment);
        assertThat(entries).extracting(e -> e.get("status").asText()).containsExactly("held", "approved");
        assertThat(entries).extracting(e -> e.get("by").asText()).containsExactly("rules", ned.id().toString());
        assertThat(entries.get(1).get("reason").isNull()).isTrue();
    }

    @Test
    void theOwnerOverturnsAnApprovedItemAndItIsGoneForOthers() {
        var quy = newUser("quy"); // owner
        var ray = newUser("ray"); // author
        var sue = newUser("sue"); // reads only
        var c = community(quy, "overturned", ray);
        String post = id(newPost(ray, c.room(), "Seemed fine"));
        awaitPost(ray, post, "approved");
        eventually(READ_MODEL, () -> assertThat(getPost(sue, post).status()).isEqualTo(200));

        JsonNode decided = decide(quy, "post", post, "reject", "off topic");

        assertThat(decided.get("kind").asText()).isEqualTo("post");
        assertThat(decided.get("postId").asText()).isEqualTo(post);
        assertThat(decided.get("status").asText()).isEqualTo("rejected");
        assertThat(decided.get("reason").asText()).isEqualTo("off topic");
        eventually(READ_MODEL, () -> assertProblem(getPost(sue, post), 404));
        assertThat(ids(allPosts(sue, c.room(), "hot", 100))).containsExactly(c.post());
        JsonNode seenByAuthor = awaitPost(ray, post, "rejected");
        assertThat(seenByAuthor.get("reason").asText()).isEqualTo("off topic");

        List<JsonNode> entries = history(ray, "post", post);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("status").asText()).isEqualTo("approved");
        assertThat(entries.get(0).get("by").asText()).isEqualTo("rules");
        assertThat(entries.get(0).get("reason").isNull()).isTrue();
        assertThat(entries.get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(entries.get(1).get("by").asText()).isEqualTo(quy.id().toString());
        assertThat(entries.get(1).get("reason").asText()).isEqualTo("off topic");
        assertThat(Instant.parse(entries.get(1).get("at").asText()))
                .isAfterOrEqualTo(Instant.parse(entries.get(0).get("at").asText()));

        decide(quy, "post", post, "approve", null); // any status can be overturned, again
        eventually(READ_MODEL, () -> assertThat(ok(sue, postPath(post)).get("status").asText()).isEqualTo("approved"));
        assertThat(history(quy, "post", post)).extracting(e -> e.get("status").asText())
                .containsExactly("approved", "rejected", "approved");
    }

    @Test
    void theOwnerApprovesACommentTheRulesRejectedAndRejectsAnApprovedOne() {
        var ted = newUser("ted"); // owner
        var uma = newUser("uma");
        var vic = newUser("vic"); // reads only
        var c = community(ted, "comment reviews", uma);
        String orange = id(newComment(uma, c.post(), "Orange you glad"));
        String fine = id(newComment(uma, c.post(), "A fine comment"));
        awaitComment(uma, c.post(), orange, "rejected");
        awaitComment(uma, c.post(), fine, "approved");
        eventually(READ_MODEL, () -> assertThat(ok(vic, postPath(c.post())).get("commentCount").asLong()).isEqualTo(1));

        assertThat(decide(ted, "comment", orange, "approve", "it was a pun").get("status").asText()).isEqualTo("approved");
        assertThat(decide(ted, "comment", fine, "reject", "spam").get("status").asText()).isEqualTo("rejected");

        eventually(READ_MODEL, () -> assertThat(ids(allComments(vic, c.post(), 100))).containsExactly(orange));
        eventually(READ_MODEL, () -> assertThat(ok(vic, postPath(c.post())).get("commentCount").asLong()).isEqualTo(1));
        JsonNode spam = awaitComment(uma, c.post(), fine, "rejected");
        assertThat(spam.get("reason").asText()).isEqualTo("spam");
        assertThat(history(uma, "comment", orange)).extracting(e -> e.get("by").asText())
                .containsExactly("rules", ted.id().toString());
    }

    @Test
    void historyIsForTheAuthorAndTheOwnerOnly() {
        var wes = newUser("wes"); // owner
        var xia = newUser("xia"); // author
        var yul = newUser("yul"); // another member
        var zed = newUser("zed"); // not a member
        var c = community(wes, "whose history", xia, yul);
        String comment = id(newComment(xia, c.post(), "my comment"));
        awaitComment(xia, c.post(), comment, "approved");

        assertThat(history(wes, "comment", comment)).hasSize(1);
        assertThat(history(xia, "comment", comment)).hasSize(1);
        assertThat(history(wes, "post", c.post())).hasSize(1);
        for (var other : List.of(yul, zed)) {
            assertProblem(other.call("GET", historyPath("comment", comment), null), 403);
            assertProblem(other.call("GET", historyPath("post", c.post()), null), 403);
        }
    }

    @Test
    void badKindsDecisionsAndUnknownItemsAreRefused() {
        var ada = newUser("ada"); // owner
        var bob = newUser("bob"); // author
        var cat = newUser("cat"); // another member
        var c = community(ada, "bad decisions", bob, cat);
        String comment = id(newComment(bob, c.post(), "decide me"));
        awaitComment(bob, c.post(), comment, "approved");

        assertProblem(decideCall(ada, "banana", comment, "reject", null), 404);
        assertProblem(ada.call("GET", historyPath("banana", comment), null), 404);
        assertProblem(decideCall(ada, "post", comment, "reject", null), 404); // a comment is not a post
        assertProblem(decideCall(ada, "comment", c.post(), "reject", null), 404);
        String unknown = UUID.randomUUID().toString();
        assertProblem(decideCall(ada, "comment", unknown, "reject", null), 404);
        assertProblem(decideCall(ada, "post", "not-an-id", "reject", null), 404);
        assertProblem(ada.call("GET", historyPath("comment", unknown), null), 404);
        assertProblem(ada.call("GET", historyPath("post", unknown), null), 404);

        assertField(decideCall(ada, "comment", comment, "maybe", null), "decision");
        assertField(ada.call("PUT", decisionPath("comment", comment), Map.of()), "decision");
        assertField(decideCall(ada, "comment", comment, "reject", "r".repeat(501)), "reason");
        assertProblem(ada.call("PUT", decisionPath("comment", comment), "{\"decision\": "), 400);
        assertProblem(decideCall(bob, "comment", comment, "approve", null), 403); // the author is not the owner
        assertProblem(decideCall(cat, "comment", comment, "reject", null), 403);

        assertThat(decideCall(ada, "comment", comment, "reject", "r".repeat(500)).status()).isEqualTo(200);
        assertThat(history(ada, "comment", comment)).hasSize(2); // nothing refused was recorded
    }

    // ---- live ----

    private static final Duration LIVE = DECISION;

    /** A socket of {@code user} subscribed to {@code room}. */
    private LiveClient watching(UserSession user, UUID room) {
        LiveClient socket = live(user);
        socket.subscribe(room, 0);
        socket.await(f -> f.path("type").asText().equals("subscribed") && f.path("roomId").asText().equals(room.toString()),
                Duration.ofSeconds(5), new ArrayList<>());
        return socket;
    }

    /** Whether {@code frame} is about the item {@code id}: a post or comment frame carrying it, or its moderated frame. */
    private static boolean about(JsonNode frame, String id) {
        return switch (frame.path("type").asText()) {
            case "post" -> frame.path("post").path("id").asText().equals(id);
            case "comment" -> frame.path("comment").path("id").asText().equals(id);
            case "moderated" -> frame.path("id").asText().equals(id);
            default -> false;
        };
    }

    private static JsonNode awaitFrame(LiveClient socket, String type, String id) {
        return socket.await(f -> f.path("type").asText().equals(type) && about(f, id), LIVE, new ArrayList<>());
    }

    /** The first frame matching each of {@code wanted}, whatever order they arrive in. */
    @SafeVarargs
    private static List<JsonNode> awaitAll(LiveClient socket, Predicate<JsonNode>... wanted) {
        var found = new ArrayList<JsonNode>(java.util.Collections.nCopies(wanted.length, (JsonNode) null));
        var seen = new ArrayList<JsonNode>();
        long deadline = System.nanoTime() + LIVE.toNanos();
        while (found.contains(null) && System.nanoTime() < deadline) {
            JsonNode frame = socket.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame == null) {
                break;
            }
            seen.add(frame);
            for (int i = 0; i < wanted.length; i++) {
                if (found.get(i) == null && wanted[i].test(frame)) {
                    found.set(i, frame);
                }
            }
        }
        assertThat(found).as("wanted frames among %s", seen).doesNotContainNull();
        return found;
    }

    @Test
    void membersReceiveAPostLiveWhenItIsApprovedAndTheAuthorAtOnce() {
        var dan = newUser("dan"); // owner and author
        var eva = newUser("eva"); // member
        UUID room = dan.createRoom("live posts").id();
        eva.join(room);
        try (var author = watching(dan, room); var member = watching(eva, room)) {
            String post = id(newPost(dan, room, "Fresh off the press"));

            List<JsonNode> toAuthor = awaitAll(author, f -> f.path("type").asText().equals("post") && about(f, post),
                    f -> f.path("type").asText().equals("moderated") && about(f, post));
            assertThat(toAuthor.getFirst().get("post").get("status").asText()).as("the author's first post frame")
                    .isEqualTo("pending");
            JsonNode seen = awaitFrame(member, "post", post);
            assertThat(seen.get("post").get("status").asText()).as("a member's first post frame").isEqualTo("approved");
            assertThat(seen.get("post").get("title").asText()).isEqualTo("Fresh off the press");
            assertThat(seen.get("post").get("roomId").asText()).isEqualTo(room.toString());
            JsonNode decision = toAuthor.get(1);
            assertThat(decision.get("kind").asText()).isEqualTo("post");
            assertThat(decision.get("status").asText()).isEqualTo("approved");
            assertThat(decision.get("roomId").asText()).isEqualTo(room.toString());
        }
    }

    @Test
    void aHeldPostReachesMembersOnlyWhenTheOwnerApprovesIt() {
        var fox = newUser("fox"); // owner
        var gus = newUser("gus"); // author
        var hal = newUser("hal"); // member
        UUID room = fox.createRoom("live holds").id();
        gus.join(room);
        hal.join(room);
        putRules(fox, room, List.of(), List.of("mango"), false);
        try (var member = watching(hal, room)) {
            String post = id(newPost(gus, room, "mango chutney"));
            awaitPost(gus, post, "held");

            assertThat(member.drain(Duration.ofMillis(700))).noneMatch(f -> about(f, post));
            decide(fox, "post", post, "approve", null);

            assertThat(awaitFrame(member, "post", post).get("post").get("status").asText()).isEqualTo("approved");
        }
    }

    @Test
    void anAuthorLearnsAtOnceThatTheirCommentWasRejectedAndNobodyElseSeesIt() {
        var ian = newUser("ian"); // owner
        var joy = newUser("joy"); // author
        var kay = newUser("kay"); // member
        var c = community(ian, "live rejections", joy, kay);
        try (var author = watching(joy, c.room()); var member = watching(kay, c.room())) {
            String comment = id(newComment(joy, c.post(), "I like Orange!"));

            JsonNode moderated = awaitFrame(author, "moderated", comment);
            assertThat(moderated.get("kind").asText()).isEqualTo("comment");
            assertThat(moderated.get("postId").asText()).isEqualTo(c.post());
            assertThat(moderated.get("roomId").asText()).isEqualTo(c.room().toString());
            assertThat(moderated.get("status").asText()).isEqualTo("rejected");
            assertThat(moderated.get("reason").asText()).containsIgnoringCase("orange");

            // A later comment reaches the member once approved; anything about the rejected one would have come first.
            String fine = id(newComment(joy, c.post(), "A fine comment"));
            var seenByMember = new ArrayList<JsonNode>();
            seenByMember.add(member.await(f -> f.path("type").asText().equals("comment") && about(f, fine), LIVE, seenByMember));
            seenByMember.addAll(member.drain(Duration.ofMillis(300)));
            assertThat(seenByMember).noneMatch(f -> about(f, comment));
            assertThat(seenByMember).filteredOn(f -> about(f, fine) && f.path("type").asText().equals("comment")).first()
                    .satisfies(f -> assertThat(f.get("comment").get("status").asText()).isEqualTo("approved"));
        }
    }

    @Test
    void overturningAnApprovedPostTellsEverySubscriberToDropIt() {
        var lee = newUser("lee"); // owner
        var mia = newUser("mia"); // author
        var nat = newUser("nat"); // member
        UUID room = lee.createRoom("live overturns").id();
        mia.join(room);
        nat.join(room);
        try (var member = watching(nat, room); var author = watching(mia, room)) {
            String post = id(newPost(mia, room, "Here today"));
            awaitFrame(member, "post", post);

            decide(lee, "post", post, "reject", "gone tomorrow");

            JsonNode dropped = awaitFrame(member, "moderated", post);
            assertThat(dropped.get("kind").asText()).isEqualTo("post");
            assertThat(dropped.get("status").asText()).isEqualTo("rejected");
            assertThat(dropped.get("roomId").asText()).isEqualTo(room.toString());
            JsonNode told = author.await(f -> f.path("type").asText().equals("moderated") && about(f, post)
                    && f.path("status").asText().equals("rejected"), LIVE, new ArrayList<>());
            assertThat(told.get("reason").asText()).isEqualTo("gone tomorrow");
        }
    }
}
