package babble.e2e;

import static babble.e2e.AccountsIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.contracts.api.MemberPage;
import babble.contracts.api.RoomPage;
import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API.md, Rooms: create, list with paging, get, join, leave, members, my rooms, and their errors. */
class RoomsIT extends E2E {

    @Test
    void creatingARoomAnswers201AndMakesTheCreatorAMember() {
        var amy = newUser("amy");

        ApiResponse response = amy.call("POST", "/api/v1/rooms", Map.of("name", "General", "topic", "Anything goes"));

        assertThat(response.status()).isEqualTo(201);
        RoomView room = response.as(RoomView.class);
        assertThat(room.name()).isEqualTo("General");
        assertThat(room.topic()).isEqualTo("Anything goes");
        assertThat(room.createdBy()).isEqualTo(amy.id());
        assertThat(room.createdAt()).isNotNull();
        assertThat(room.memberCount()).isEqualTo(1);
        assertThat(amy.members(room.id()).members()).containsExactly(amy.user());
        assertThat(amy.room(room.id())).isEqualTo(room);
    }

    @Test
    void theTopicIsOptional() {
        var ben = newUser("ben");

        RoomView room = ben.createRoom("No topic here");

        assertThat(room.topic()).isNull();
    }

    @Test
    void invalidRoomsAre422NamingTheFieldAndNothingIsCreated() {
        var cal = newUser("cal");

        assertField(cal.call("POST", "/api/v1/rooms", Map.of("topic", "no name")), "name");
        assertField(cal.call("POST", "/api/v1/rooms", Map.of("name", "   ")), "name");
        assertField(cal.call("POST", "/api/v1/rooms", Map.of("name", "x".repeat(65))), "name");
        assertField(cal.call("POST", "/api/v1/rooms", Map.of("name", "ok", "topic", "t".repeat(257))), "topic");
        assertProblem(cal.call("POST", "/api/v1/rooms", "{\"name\":"), 400);
        assertThat(cal.myRooms().rooms()).isEmpty();
    }

    @Test
    void aNameOf64CharactersIsAccepted() {
        var dan = newUser("dan");

        assertThat(dan.createRoom("n".repeat(64)).name()).hasSize(64);
    }

    @Test
    void anUnknownRoomIs404() {
        var eli = newUser("eli");
        UUID unknown = UUID.randomUUID();

        assertProblem(eli.call("GET", "/api/v1/rooms/" + unknown, null), 404);
        assertProblem(eli.call("PUT", "/api/v1/rooms/" + unknown + "/members/me", null), 404);
        assertProblem(eli.call("DELETE", "/api/v1/rooms/" + unknown + "/members/me", null), 404);
        assertProblem(eli.call("GET", "/api/v1/rooms/" + unknown + "/members", null), 404);
        assertProblem(eli.call("GET", "/api/v1/rooms/not-an-id", null), 404);
    }

    @Test
    void listingPagesThroughEveryRoomOnceWithACursor() {
        var fin = newUser("fin");
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(fin.createRoom("paging " + i).id());
        }

        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RoomPage page = fin.rooms(2, cursor);
            assertThat(page.rooms()).hasSizeLessThanOrEqualTo(2);
            page.rooms().forEach(r -> seen.add(r.id()));
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 10_000);

        assertThat(seen).doesNotHaveDuplicates().containsSubsequence(created); // all of them, oldest first
    }

    @Test
    void listingAnswersTheRoomsObjectWithNext() {
        var gil = newUser("gil");
        gil.createRoom("shape");

        var json = gil.call("GET", "/api/v1/rooms?limit=1", null).json();

        assertThat(json.get("rooms").isArray()).isTrue();
        assertThat(json.has("next")).isTrue();
    }

    @Test
    void badPagingParametersAre422() {
        var hub = newUser("hub");

        assertField(hub.call("GET", "/api/v1/rooms?limit=0", null), "limit");
        assertField(hub.call("GET", "/api/v1/rooms?limit=201", null), "limit");
        assertField(hub.call("GET", "/api/v1/rooms?limit=ten", null), "limit");
        assertField(hub.call("GET", "/api/v1/rooms?cursor=***", null), "cursor");
    }

    @Test
    void joiningIsIdempotentAndCountsTheMemberOnce() {
        var ida = newUser("ida");
        var jay = newUser("jay");
        RoomView room = ida.createRoom("join me");

        ApiResponse first = jay.call("PUT", "/api/v1/rooms/" + room.id() + "/members/me", null);
        ApiResponse second = jay.call("PUT", "/api/v1/rooms/" + room.id() + "/members/me", null);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.as(RoomView.class).memberCount()).isEqualTo(2);
        assertThat(ida.room(room.id()).memberCount()).isEqualTo(2);
        assertThat(ida.members(room.id()).members()).extracting(UserView::id).containsExactlyInAnyOrder(ida.id(), jay.id());
    }

    @Test
    void leavingAnswers204AndIsIdempotent() {
        var kit = newUser("kit");
        var lea = newUser("lea");
        RoomView room = kit.createRoom("leave me");
        lea.join(room.id());

        ApiResponse first = lea.call("DELETE", "/api/v1/rooms/" + room.id() + "/members/me", null);
        ApiResponse again = lea.call("DELETE", "/api/v1/rooms/" + room.id() + "/members/me", null);

        assertThat(first.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(204);
        assertThat(kit.room(room.id()).memberCount()).isEqualTo(1);
        assertThat(kit.members(room.id()).members()).containsExactly(kit.user());
        assertThat(lea.myRooms().rooms()).isEmpty();
    }

    @Test
    void membersAnswersTheMembersObjectWithUsers() {
        var max = newUser("max");
        RoomView room = max.createRoom("who is here");

        MemberPage members = max.members(room.id());

        assertThat(members.members()).containsExactly(max.user());
    }

    @Test
    void myRoomsListsOnlyTheRoomsIAmInWithReadState() {
        var ned = newUser("ned");
        var ola = newUser("ola");
        RoomView mine = ned.createRoom("mine");
        ola.createRoom("not mine");

        var rooms = ned.myRooms().rooms();

        assertThat(rooms).hasSize(1);
        assertThat(rooms.getFirst().id()).isEqualTo(mine.id());
        assertThat(rooms.getFirst().name()).isEqualTo("mine");
        assertThat(rooms.getFirst().lastSeq()).isZero();
        assertThat(rooms.getFirst().lastReadSeq()).isZero();
        assertThat(rooms.getFirst().unread()).isZero();
    }

    private static void assertField(ApiResponse response, String field) {
        assertProblem(response, 422);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }
}
