package babble.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.RoomView;
import babble.contracts.events.MemberJoined;
import babble.contracts.events.MemberLeft;
import babble.contracts.events.RoomCreated;
import babble.contracts.internal.Membership;
import babble.platform.bus.Event;
import babble.contracts.api.UserView;
import babble.contracts.events.MemberInvited;
import babble.contracts.internal.RoomAccess;
import babble.contracts.internal.UserList;
import babble.platform.Chassis;
import babble.platform.Service;
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

    /** Stands in for the users service's one call rooms makes: the users these tests made exist. */
    static final class KnownUsers implements Service {
        static final Map<java.util.UUID, UserView> USERS = new java.util.concurrent.ConcurrentHashMap<>();

        static Identity user(String name) {
            var identity = TestHarness.user(name);
            USERS.put(identity.userId(), new UserView(identity.userId(), name, name));
            return identity;
        }

        @Override
        public String name() {
            return "users";
        }

        @Override
        public void start(Chassis chassis) {
            chassis.http(routes -> routes.get("/internal/users", ctx -> ctx.json(new UserList(
                    java.util.Arrays.stream(ctx.queryParam("ids").split(",")).map(java.util.UUID::fromString)
                            .map(USERS::get).filter(java.util.Objects::nonNull).toList()))));
        }
    }

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new KnownUsers(), new RoomsService());
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

    // Private rooms, invitations and direct rooms

    private RoomView createPrivate(Identity owner, String name) {
        var reply = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", name, "visibility", "private"), owner);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(RoomView.class);
    }

    private static String path(RoomView room) {
        return "/api/v1/rooms/" + room.id();
    }

    @Test
    void aPrivateRoomIsNotListedAndDoesNotExistForAnyoneButItsMembersAndThoseInvited() {
        var owner = KnownUsers.user("priv-owner");
        var guest = KnownUsers.user("priv-guest");
        var stranger = KnownUsers.user("priv-stranger");
        RoomView room = createPrivate(owner, "secret");

        var listed = new java.util.ArrayList<String>();
        String cursor = "";
        do { // every page of the list
            var page = harness.call("rooms", "GET", "/api/v1/rooms?limit=200" + (cursor.isEmpty() ? "" : "&cursor=" + cursor),
                    null, stranger).json();
            listed.addAll(page.get("rooms").findValuesAsText("id"));
            cursor = page.path("next").asText("");
        } while (!cursor.isEmpty());
        var asStranger = harness.call("rooms", "GET", path(room), null, stranger);
        var membersAsStranger = harness.call("rooms", "GET", path(room) + "/members", null, stranger);
        var joinUninvited = harness.call("rooms", "PUT", path(room) + "/members/me", null, stranger);
        var inviteByStranger = harness.call("rooms", "POST", path(room) + "/invites", Map.of("userId", guest.userId()), stranger);
        var invite = harness.call("rooms", "POST", path(room) + "/invites", Map.of("userId", guest.userId()), owner);
        var seenByInvited = harness.call("rooms", "GET", path(room), null, guest);
        var membersAsInvited = harness.call("rooms", "GET", path(room) + "/members", null, guest);
        var join = harness.call("rooms", "PUT", path(room) + "/members/me", null, guest);
        var membersAsMember = harness.call("rooms", "GET", path(room) + "/members", null, guest);

        assertThat(room.visibility()).isEqualTo("private");
        assertThat(listed).isNotEmpty().doesNotContain(room.id().toString());
        assertThat(asStranger.status()).isEqualTo(404);
        assertThat(membersAsStranger.status()).isEqualTo(404);
        assertThat(joinUninvited.status()).isEqualTo(404);
        assertThat(inviteByStranger.status()).isEqualTo(404);
        assertThat(invite.status()).as(invite.text()).isEqualTo(204);
        assertThat(seenByInvited.status()).isEqualTo(200);
        assertThat(membersAsInvited.status()).as("the members are for members").isEqualTo(404);
        assertThat(join.status()).isEqualTo(200);
        assertThat(membersAsMember.json().get("members").findValuesAsText("username"))
                .containsExactlyInAnyOrder("priv-owner", "priv-guest");
        var leaveThenJoin = harness.call("rooms", "DELETE", path(room) + "/members/me", null, guest);
        assertThat(leaveThenJoin.status()).isEqualTo(204);
        assertThat(harness.call("rooms", "PUT", path(room) + "/members/me", null, guest).status())
                .as("an invitation is used up by joining").isEqualTo(404);
    }

    @Test
    void invitationsAreForMembersOfExistingUsersOnceAndAnnounced() {
        var owner = KnownUsers.user("inv-owner");
        var guest = KnownUsers.user("inv-guest");
        var outsider = KnownUsers.user("inv-outsider");
        RoomView open = create(owner, "open to all");
        RoomView room = createPrivate(owner, "invitations");

        var unknownUser = harness.call("rooms", "POST", path(room) + "/invites", Map.of("userId", java.util.UUID.randomUUID()), owner);
        var noUser = harness.call("rooms", "POST", path(room) + "/invites", Map.of(), owner);
        var notAMemberOfAPublicRoom = harness.call("rooms", "POST", path(open) + "/invites", Map.of("userId", guest.userId()), outsider);
        var first = harness.call("rooms", "POST", path(room) + "/invites", Map.of("userId", guest.userId()), owner);
        var again = harness.call("rooms", "POST", path(room) + "/invites", Map.of("userId", guest.userId()), owner);

        assertThat(unknownUser.status()).isEqualTo(404);
        assertThat(noUser.status()).isEqualTo(422);
        assertThat(notAMemberOfAPublicRoom.status()).isEqualTo(403);
        assertThat(first.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> eventsOf(room).stream().anyMatch(e -> e.type().equals(MemberInvited.TYPE)));
        assertThat(eventsOf(room).stream().filter(e -> e.type().equals(MemberInvited.TYPE)).toList())
                .as("announced once").hasSize(1).first()
                .satisfies(e -> {
                    var invited = e.dataAs(MemberInvited.class);
                    assertThat(invited.userId()).isEqualTo(guest.userId());
                    assertThat(invited.by().id()).isEqualTo(owner.userId());
                    assertThat(invited.roomName()).isEqualTo("invitations");
                });
    }

    @Test
    void aDirectRoomIsOnePrivateRoomPerPairWithBothAsMembersTheSameEveryTime() throws Exception {
        var ann = KnownUsers.user("dm-ann");
        var bob = KnownUsers.user("dm-bob");
        var eve = KnownUsers.user("dm-eve");

        var first = harness.call("rooms", "POST", "/api/v1/dms", Map.of("userId", bob.userId()), ann);
        RoomView room = first.as(RoomView.class);
        var fromBob = harness.call("rooms", "POST", "/api/v1/dms", Map.of("userId", ann.userId()), bob);
        var withMyself = harness.call("rooms", "POST", "/api/v1/dms", Map.of("userId", ann.userId()), ann);
        var withNobody = harness.call("rooms", "POST", "/api/v1/dms", Map.of("userId", java.util.UUID.randomUUID()), ann);
        var eveJoins = harness.call("rooms", "PUT", path(room) + "/members/me", null, eve);
        var eveIsInvited = harness.call("rooms", "POST", path(room) + "/invites", Map.of("userId", eve.userId()), ann);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header(Membership.VERSION_HEADER)).isNotNull();
        assertThat(room.visibility()).isEqualTo("private");
        assertThat(room.direct()).isTrue();
        assertThat(room.memberCount()).isEqualTo(2);
        assertThat(fromBob.status()).isEqualTo(200);
        assertThat(fromBob.as(RoomView.class).id()).isEqualTo(room.id());
        assertThat(withMyself.status()).isEqualTo(422);
        assertThat(withNobody.status()).isEqualTo(404);
        assertThat(eveJoins.status()).isEqualTo(404);
        assertThat(eveIsInvited.status()).isEqualTo(422);
        assertThat(harness.call("rooms", "GET", "/internal/members/" + bob.userId() + "/rooms", null, bob).json()
                .get("rooms").findValuesAsText("id")).contains(room.id().toString());
        var access = harness.call("rooms", "GET", "/internal/rooms/" + room.id() + "/access/" + bob.userId(), null, bob)
                .as(RoomAccess.class);
        assertThat(access.member()).isTrue();
        assertThat(access.privateRoom()).isTrue();

        // It cannot be left, and neither of its two owns it (no one moderates the other).
        var leave = harness.call("rooms", "DELETE", path(room) + "/members/me", null, ann);
        assertThat(leave.status()).isEqualTo(422);
        assertThat(harness.call("rooms", "GET", path(room), null, ann).as(RoomView.class).memberCount()).isEqualTo(2);
        var annsAccess = harness.call("rooms", "GET", "/internal/rooms/" + room.id() + "/access/" + ann.userId(), null, ann)
                .as(RoomAccess.class);
        assertThat(annsAccess.owner()).as("its maker does not own it").isFalse();

        // Two first calls at once make one room, whoever wins, again and again.
        for (int round = 0; round < 10; round++) {
            var cy = KnownUsers.user("dm-cy" + round);
            var di = KnownUsers.user("dm-di" + round);
            var start = new java.util.concurrent.CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(2)) {
                var a = pool.submit(() -> {
                    start.await();
                    return harness.call("rooms", "POST", "/api/v1/dms", Map.of("userId", di.userId()), cy);
                });
                var b = pool.submit(() -> {
                    start.await();
                    return harness.call("rooms", "POST", "/api/v1/dms", Map.of("userId", cy.userId()), di);
                });
                start.countDown();
                assertThat(List.of(a.get().status(), b.get().status())).as(a.get().text() + b.get().text())
                        .containsExactlyInAnyOrder(200, 201);
                assertThat(a.get().as(RoomView.class).id()).isEqualTo(b.get().as(RoomView.class).id());
            }
        }
    }

    @Test
    void aVisibilityOtherThanPublicOrPrivateIsRefused() {
        var reply = harness.call("rooms", "POST", "/api/v1/rooms", Map.of("name", "x", "visibility", "secret"),
                TestHarness.user("vis"));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.invalidField()).isEqualTo("visibility");
    }
}
