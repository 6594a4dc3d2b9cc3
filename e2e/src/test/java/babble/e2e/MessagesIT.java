package babble.e2e;

import static babble.e2e.AccountsIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.client.ApiResponse;
import babble.client.UserSession;
import babble.contracts.api.MessageView;
import babble.contracts.api.MyRoomView;
import babble.contracts.api.RoomView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** API.md, Messages: post, page, idempotent retries, read markers and unread counts; members only. */
class MessagesIT extends E2E {

    @Test
    void postingAnswers201WithTheMessageAndItsSeq() {
        var ava = newUser("ava");
        RoomView room = ava.createRoom("posting");

        ApiResponse response = ava.call("POST", "/api/v1/rooms/" + room.id() + "/messages", Map.of("text", "hello"));

        assertThat(response.status()).isEqualTo(201);
        MessageView message = response.as(MessageView.class);
        assertThat(message.id()).isNotNull();
        assertThat(message.roomId()).isEqualTo(room.id());
        assertThat(message.seq()).isEqualTo(1);
        assertThat(message.userId()).isEqualTo(ava.id());
        assertThat(message.username()).isEqualTo(ava.user().username());
        assertThat(message.text()).isEqualTo("hello");
        assertThat(message.createdAt()).isNotNull();
        assertThat(ava.post(room.id(), "again").seq()).isEqualTo(2);
    }

    @Test
    void invalidTextIs422AndNothingIsStored() {
        var bea = newUser("bea");
        UUID room = bea.createRoom("bad text").id();
        String path = "/api/v1/rooms/" + room + "/messages";

        assertField(bea.call("POST", path, Map.of()), "text");
        assertField(bea.call("POST", path, Map.of("text", "")), "text");
        assertField(bea.call("POST", path, Map.of("text", "  \n ")), "text");
        assertField(bea.call("POST", path, Map.of("text", "x".repeat(4001))), "text");
        assertField(bea.call("POST", path, "{\"text\": 42}"), "text");
        assertField(bea.call("POST", path, Map.of("text", "a\u0000b")), "text"); // was a 500 on PostgreSQL (ApiFuzzIT)
        assertProblem(bea.call("POST", path, "{\"text\": \"unclosed"), 400);
        assertProblem(bea.call("POST", path, "{\"text\":\"" + "y".repeat(70_000) + "\"}"), 413);

        assertThat(bea.latest(room, 50)).isEmpty();
        assertThat(bea.post(room, "x".repeat(4000)).seq()).isEqualTo(1);
    }

    @Test
    void textIsStoredExactlyAsSent() {
        var cas = newUser("cas");
        UUID room = cas.createRoom("unicode").id();
        String text = "<img src=x onerror=alert(1)> \"quotes\" & emoji \uD83D\uDE00 and\nnewlines";

        cas.post(room, text);

        assertThat(cas.latest(room, 1).getFirst().text()).isEqualTo(text);
    }

    @Test
    void retryingWithTheSameIdempotencyKeyStoresOneMessage() {
        var dax = newUser("dax");
        UUID room = dax.createRoom("retries").id();

        MessageView first = dax.post(room, "only once", "key-1");
        MessageView retry = dax.post(room, "only once", "key-1");
        MessageView other = dax.post(room, "another", "key-2");

        assertThat(retry).isEqualTo(first);
        assertThat(other.seq()).isEqualTo(2);
        assertThat(dax.latest(room, 50)).extracting(MessageView::text).containsExactly("only once", "another");
    }

    @Test
    void reusingAnIdempotencyKeyForADifferentMessageIs409() {
        var eve = newUser("eve");
        UUID room = eve.createRoom("key reuse").id();
        eve.post(room, "first", "same-key");

        ApiResponse reuse = eve.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "second"),
                Map.of("Idempotency-Key", "same-key"));

        assertProblem(reuse, 409);
        assertThat(eve.latest(room, 50)).hasSize(1);
    }

    @Test
    void idempotencyKeysBelongToTheirUser() {
        var flo = newUser("flo");
        var gus = newUser("gus");
        UUID room = flo.createRoom("two keys").id();
        gus.join(room);

        MessageView fromFlo = flo.post(room, "hi", "shared-key");
        MessageView fromGus = gus.post(room, "hi", "shared-key");

        assertThat(fromGus.id()).isNotEqualTo(fromFlo.id());
        assertThat(flo.latest(room, 50)).hasSize(2);
    }

    @Test
    void anInvalidIdempotencyKeyIs422() {
        var hal = newUser("hal");
        UUID room = hal.createRoom("bad key").id();

        ApiResponse response = hal.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "x"),
                Map.of("Idempotency-Key", "k".repeat(129)));

        assertField(response, "Idempotency-Key");
    }

    @Test
    void anEmptyRoomHasNoMessages() {
        var ian = newUser("ian");
        UUID room = ian.createRoom("empty").id();

        assertThat(ian.call("GET", "/api/v1/rooms/" + room + "/messages", null).json().get("messages").size()).isZero();
        assertThat(ian.after(room, 0, 50)).isEmpty();
        assertThat(ian.before(room, 1, 50)).isEmpty();
    }

    @Test
    void pagingReturnsAscendingWindowsAtEveryEdge() {
        var joy = newUser("joy");
        UUID room = joy.createRoom("paging").id();
        IntStream.rangeClosed(1, 205).forEach(i -> joy.post(room, "m" + i));

        assertThat(seqs(joy.latest(room, 50))).isEqualTo(range(156, 205));
        assertThat(seqs(joy.call("GET", "/api/v1/rooms/" + room + "/messages", null)
                .as(babble.contracts.api.MessageList.class).messages())).isEqualTo(range(156, 205)); // default limit 50
        assertThat(seqs(joy.latest(room, 200))).isEqualTo(range(6, 205));
        assertThat(seqs(joy.before(room, 156, 50))).isEqualTo(range(106, 155));
        assertThat(seqs(joy.before(room, 3, 50))).isEqualTo(range(1, 2));
        assertThat(joy.before(room, 1, 50)).isEmpty();
        assertThat(seqs(joy.after(room, 0, 3))).isEqualTo(range(1, 3));
        assertThat(seqs(joy.after(room, 200, 50))).isEqualTo(range(201, 205));
        assertThat(joy.after(room, 205, 50)).isEmpty();

        String path = "/api/v1/rooms/" + room + "/messages";
        assertField(joy.call("GET", path + "?limit=201", null), "limit");
        assertField(joy.call("GET", path + "?limit=0", null), "limit");
        assertField(joy.call("GET", path + "?before=0", null), "before");
        assertField(joy.call("GET", path + "?after=-1", null), "after");
        assertField(joy.call("GET", path + "?after=abc", null), "after");
        assertField(joy.call("GET", path + "?after=1&before=5", null), "before");
    }

    @Test
    void twoUsersInOneRoomSeeEachOthersMessagesInOneOrder() {
        var kay = newUser("kay");
        var lee = newUser("lee");
        UUID room = kay.createRoom("two of us").id();
        lee.join(room);

        kay.post(room, "hi lee");
        lee.post(room, "hi kay");
        kay.post(room, "how are you?");

        List<MessageView> seenByKay = kay.latest(room, 50);
        List<MessageView> seenByLee = lee.latest(room, 50);
        assertThat(seenByKay).isEqualTo(seenByLee);
        assertThat(seenByKay).extracting(MessageView::text).containsExactly("hi lee", "hi kay", "how are you?");
        assertThat(seenByKay).extracting(MessageView::username)
                .containsExactly(kay.user().username(), lee.user().username(), kay.user().username());
    }

    @Test
    void aNonMemberCannotReadOrPostOrMarkRead() {
        var mia = newUser("mia");
        var nat = newUser("nat");
        UUID room = mia.createRoom("private talk").id();
        mia.post(room, "secret");

        assertProblem(nat.call("GET", "/api/v1/rooms/" + room + "/messages", null), 403);
        assertProblem(nat.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "let me in")), 403);
        assertProblem(nat.call("PUT", "/api/v1/rooms/" + room + "/read", Map.of("seq", 1)), 403);
        assertThat(mia.latest(room, 50)).extracting(MessageView::text).containsExactly("secret");
    }

    @Test
    void aMemberWhoLeftCanNoLongerReadOrPost() {
        var oli = newUser("oli");
        var pam = newUser("pam");
        UUID room = oli.createRoom("goodbye").id();
        pam.join(room);
        pam.post(room, "bye all");

        pam.leave(room);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertProblem(pam.call("GET", "/api/v1/rooms/" + room + "/messages", null), 403));
        assertProblem(pam.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "still here?")), 403);
    }

    @Test
    void anUnknownRoomIs404ForMessages() {
        var quin = newUser("quin");
        UUID unknown = UUID.randomUUID();

        assertProblem(quin.call("GET", "/api/v1/rooms/" + unknown + "/messages", null), 404);
        assertProblem(quin.call("POST", "/api/v1/rooms/" + unknown + "/messages", Map.of("text", "hello?")), 404);
        assertProblem(quin.call("PUT", "/api/v1/rooms/" + unknown + "/read", Map.of("seq", 0)), 404);
    }

    @Test
    void unreadCountsFollowReadMarkersThatNeverMoveBackwards() {
        var ray = newUser("ray");
        var sue = newUser("sue");
        UUID room = ray.createRoom("unread").id();
        sue.join(room);
        ray.post(room, "one");
        ray.post(room, "two");
        ray.post(room, "three");

        assertThat(state(sue, room)).isEqualTo(new long[] {3, 0, 3});
        assertThat(state(ray, room)).isEqualTo(new long[] {3, 3, 0}); // posting moves the poster's marker

        sue.markRead(room, 2);
        assertThat(state(sue, room)).isEqualTo(new long[] {3, 2, 1});

        sue.markRead(room, 1); // never backwards
        assertThat(state(sue, room)).isEqualTo(new long[] {3, 2, 1});

        sue.post(room, "four");
        assertThat(state(sue, room)).isEqualTo(new long[] {4, 4, 0});
        assertThat(state(ray, room)).isEqualTo(new long[] {4, 3, 1});
    }

    @Test
    void aReadMarkerPastTheLastMessageOrMissingIs422() {
        var tom = newUser("tom");
        UUID room = tom.createRoom("markers").id();
        tom.post(room, "only one");

        assertField(tom.call("PUT", "/api/v1/rooms/" + room + "/read", Map.of("seq", 2)), "seq");
        assertField(tom.call("PUT", "/api/v1/rooms/" + room + "/read", Map.of("seq", -1)), "seq");
        assertField(tom.call("PUT", "/api/v1/rooms/" + room + "/read", Map.of()), "seq");
        assertThat(tom.call("PUT", "/api/v1/rooms/" + room + "/read", Map.of("seq", 1)).status()).isEqualTo(204);
    }

    @Test
    void aRevokedTokenCannotPost() {
        var uma = newUser("uma");
        UUID room = uma.createRoom("revoked").id();
        uma.logout();

        assertProblem(uma.call("POST", "/api/v1/rooms/" + room + "/messages", Map.of("text", "ghost")), 401);
    }

    private static long[] state(UserSession user, UUID room) {
        MyRoomView r = user.myRooms().rooms().stream().filter(x -> x.id().equals(room)).findFirst().orElseThrow();
        return new long[] {r.lastSeq(), r.lastReadSeq(), r.unread()};
    }

    private static List<Long> seqs(List<MessageView> messages) {
        return messages.stream().map(MessageView::seq).toList();
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void assertField(ApiResponse response, String field) {
        assertProblem(response, 422);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }
}
