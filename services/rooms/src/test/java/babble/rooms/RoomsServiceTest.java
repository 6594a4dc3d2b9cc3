package babble.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.RoomView;
import babble.contracts.events.MemberJoined;
import babble.contracts.events.MemberLeft;
import babble.contracts.events.RoomCreated;
import babble.contracts.internal.Membership;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rooms service on its real store: memberships, their versions and their events. */
class RoomsServiceTest {
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new RoomsService());
        harness.launcher().infrastructure().bus().consume("test-rooms", "events.room.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private RoomView create(Identity owner, String name) {
        var reply = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", name), owner);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(RoomView.class);
    }

    private List<Event> eventsOf(RoomView room) {
        return events.stream().filter(e -> e.key().equals(room.id().toString())).toList();
    }

    @Test
    void creatingARoomAnnouncesItAndItsFirstMember() {
        var owner = TestHarness.user("owner");

        RoomView room = create(owner, "announced");

        await().atMost(Duration.ofSeconds(5)).until(() -> eventsOf(room).size() == 2);
        assertThat(eventsOf(room).get(0).type()).isEqualTo(RoomCreated.TYPE);
        assertThat(eventsOf(room).get(0).dataAs(RoomCreated.class).room()).isEqualTo(room);
        var joined = eventsOf(room).get(1).dataAs(MemberJoined.class);
        assertThat(joined.user().id()).isEqualTo(owner.userId());
        assertThat(joined.version()).isEqualTo(1);
    }

    @Test
    void eachMembershipChangeHasAHigherVersionAndRepeatsChangeNothing() {
        var owner = TestHarness.user("owner");
        var guest = TestHarness.user("guest");
        RoomView room = create(owner, "versions");

        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, guest);
        harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, guest);
        harness.call("rooms", "DELETE", "/api/v1/rooms/" + room.id() + "/members/me", null, guest);
        harness.call("rooms", "DELETE", "/api/v1/rooms/" + room.id() + "/members/me", null, guest);

        await().atMost(Duration.ofSeconds(5)).until(() -> eventsOf(room).size() == 4);
        assertThat(eventsOf(room).get(2).dataAs(MemberJoined.class).version()).isEqualTo(2);
        assertThat(eventsOf(room).get(3).type()).isEqualTo(MemberLeft.TYPE);
        assertThat(eventsOf(room).get(3).dataAs(MemberLeft.class).version()).isEqualTo(3);
        var membership = harness.call("rooms", "GET", "/internal/rooms/" + room.id() + "/members/" + guest.userId(), null,
                Identity.ofService("messages")).as(Membership.class);
        assertThat(membership.member()).isFalse();
        assertThat(membership.version()).isEqualTo(3);
    }

    @Test
    void eachChangeOfAUsersMembershipsRaisesTheirVersionAndTheAnswersSayIt() {
        var owner = TestHarness.user("versioned");
        var created = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "first"), owner);
        RoomView second = create(TestHarness.user("other"), "second");

        var joined = harness.call("rooms", "PUT", "/api/v1/rooms/" + second.id() + "/members/me", null, owner);
        var joinedAgain = harness.call("rooms", "PUT", "/api/v1/rooms/" + second.id() + "/members/me", null, owner);
        var left = harness.call("rooms", "DELETE", "/api/v1/rooms/" + second.id() + "/members/me", null, owner);
        var leftAgain = harness.call("rooms", "DELETE", "/api/v1/rooms/" + second.id() + "/members/me", null, owner);

        assertThat(created.header(Membership.VERSION_HEADER)).isEqualTo("1");
        assertThat(joined.header(Membership.VERSION_HEADER)).isEqualTo("2");
        assertThat(joinedAgain.header(Membership.VERSION_HEADER)).isEqualTo("2"); // nothing changed
        assertThat(left.header(Membership.VERSION_HEADER)).isEqualTo("3");
        assertThat(leftAgain.header(Membership.VERSION_HEADER)).isEqualTo("3");
        var asked = harness.call("rooms", "GET", "/internal/members/" + owner.userId() + "/version", null,
                Identity.ofService("gateway")).json();
        assertThat(asked.get("version").asLong()).isEqualTo(3);
        var membership = harness.call("rooms", "GET", "/internal/rooms/" + second.id() + "/members/" + owner.userId(), null,
                Identity.ofService("messages")).as(Membership.class);
        assertThat(membership.member()).isFalse();
        assertThat(membership.userVersion()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> eventsOf(second).size() == 4);
        assertThat(eventsOf(second).get(2).dataAs(MemberJoined.class).userVersion()).isEqualTo(2);
        assertThat(eventsOf(second).get(3).dataAs(MemberLeft.class).userVersion()).isEqualTo(3);
    }

    @Test
    void aUserWhoNeverChangedAMembershipIsAtVersionZero() {
        var asked = harness.call("rooms", "GET", "/internal/members/" + java.util.UUID.randomUUID() + "/version", null,
                Identity.ofService("gateway")).json();

        assertThat(asked.get("version").asLong()).isZero();
    }

    @Test
    void concurrentJoinsAreEachCountedOnce() throws Exception {
        var owner = TestHarness.user("owner");
        RoomView room = create(owner, "crowded");
        var guests = IntStream.range(0, 20).mapToObj(i -> TestHarness.user("guest" + i)).toList();

        try (var pool = Executors.newFixedThreadPool(8)) {
            for (var guest : guests) {
                pool.submit(() -> harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, guest));
                pool.submit(() -> harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, guest));
            }
        }

        var after = harness.call("rooms", "GET", "/api/v1/rooms/" + room.id(), null, owner).as(RoomView.class);
        assertThat(after.memberCount()).isEqualTo(21);
        var members = harness.call("rooms", "GET", "/api/v1/rooms/" + room.id() + "/members", null, owner).json().get("members");
        assertThat(members.size()).isEqualTo(21);
    }

    @Test
    void aUsersRoomsAreListedForTheGateway() {
        var owner = TestHarness.user("lister");
        RoomView a = create(owner, "a");
        RoomView b = create(owner, "b");

        var reply = harness.call("rooms", "GET", "/internal/members/" + owner.userId() + "/rooms", null, Identity.ofService("gateway"));

        assertThat(reply.json().get("rooms").findValuesAsText("id")).containsExactly(a.id().toString(), b.id().toString());
    }

    @Test
    void membersArePagedWithACursor() {
        var owner = TestHarness.user("pager");
        RoomView room = create(owner, "paged members");
        for (int i = 0; i < 5; i++) {
            harness.call("rooms", "PUT", "/api/v1/rooms/" + room.id() + "/members/me", null, TestHarness.user("m" + i));
        }

        var first = harness.call("rooms", "GET", "/api/v1/rooms/" + room.id() + "/members?limit=4", null, owner).json();
        var second = harness.call("rooms", "GET", "/api/v1/rooms/" + room.id() + "/members?limit=4&cursor="
                + first.get("next").asText(), null, owner).json();

        assertThat(first.get("members").size()).isEqualTo(4);
        assertThat(second.get("members").size()).isEqualTo(2);
        assertThat(second.get("next").isNull()).isTrue();
    }
}
