package babble.follows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.UserPage;
import babble.contracts.api.UserView;
import babble.contracts.events.UserFollowed;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.users.UsersService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The follows service on its real store, beside a real users service (its source of profiles). */
class FollowsServiceTest {
    static TestHarness harness;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        harness = TestHarness.start(new UsersService(), new FollowsService());
        harness.launcher().infrastructure().bus().consume("test-follows", "events.user.>", events::add);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Identity user(String name) {
        var reply = harness.call("users", "POST", "/api/v1/users", Map.of("username", name, "password", "pass-word-1"),
                Identity.ofService("gateway"));
        UserView user = reply.as(UserView.class);
        return Identity.ofUser("gateway", user.id(), user.username(), user.displayName());
    }

    private static int follow(Identity as, Object follower, Object target) {
        return harness.call("follows", "POST", "/api/v1/users/" + follower + "/follow/" + target, null, as).status();
    }

    @Test
    void followingIsIdempotentAndAnnouncedOnce() {
        var ann = user("f_ann");
        var bob = user("f_bob");

        assertThat(follow(ann, ann.userId(), bob.userId())).isEqualTo(204);
        assertThat(follow(ann, ann.userId(), bob.userId())).isEqualTo(204);

        var state = harness.call("follows", "GET", "/api/v1/users/" + ann.userId() + "/follow/" + bob.userId(), null, bob).json();
        assertThat(state.get("following").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> followedEvents(bob).size() == 1);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> followedEvents(bob).size() == 1);
        assertThat(followedEvents(bob).getFirst().follower().id()).isEqualTo(ann.userId());
    }

    private static List<UserFollowed> followedEvents(Identity followee) {
        return events.stream().filter(e -> e.type().equals(UserFollowed.TYPE))
                .map(e -> e.dataAs(UserFollowed.class)).filter(f -> f.followee().id().equals(followee.userId())).toList();
    }

    @Test
    void onlyTheFollowerChangesTheirFollowsAndNobodyFollowsThemselves() {
        var cy = user("f_cy");
        var dee = user("f_dee");

        assertThat(follow(dee, cy.userId(), dee.userId())).isEqualTo(403);
        assertThat(follow(cy, cy.userId(), cy.userId())).isEqualTo(422);
        assertThat(follow(cy, cy.userId(), java.util.UUID.randomUUID())).isEqualTo(404);
        assertThat(follow(cy, "me", dee.userId())).isEqualTo(204);
        assertThat(harness.call("follows", "DELETE", "/api/v1/users/" + cy.userId() + "/follow/" + dee.userId(), null, dee)
                .status()).isEqualTo(403);
    }

    @Test
    void unfollowingIsIdempotent() {
        var eve = user("f_eve");
        var fin = user("f_fin");
        follow(eve, eve.userId(), fin.userId());

        for (int i = 0; i < 2; i++) {
            assertThat(harness.call("follows", "DELETE", "/api/v1/users/me/follow/" + fin.userId(), null, eve).status())
                    .isEqualTo(204);
        }
        var state = harness.call("follows", "GET", "/api/v1/users/" + eve.userId() + "/follow/" + fin.userId(), null, eve).json();
        assertThat(state.get("following").asBoolean()).isFalse();
    }

    @Test
    void followerListsPageNewestFirstWithACursor() {
        var star = user("f_star");
        List<Identity> fans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            var fan = user("f_fan" + i);
            follow(fan, fan.userId(), star.userId());
            fans.add(fan);
        }

        var first = harness.call("follows", "GET", "/api/v1/users/" + star.userId() + "/followers?limit=3", null, star).as(UserPage.class);
        var second = harness.call("follows", "GET", "/api/v1/users/" + star.userId() + "/followers?limit=3&cursor=" + first.next(),
                null, star).as(UserPage.class);

        List<java.util.UUID> seen = new ArrayList<>();
        first.users().forEach(u -> seen.add(u.id()));
        second.users().forEach(u -> seen.add(u.id()));
        assertThat(seen).containsExactlyElementsOf(fans.reversed().stream().map(Identity::userId).toList());
        assertThat(second.next()).isNull();
        var following = harness.call("follows", "GET", "/api/v1/users/" + fans.getFirst().userId() + "/following", null, star)
                .as(UserPage.class);
        assertThat(following.users()).extracting(UserView::id).containsExactly(star.userId());
    }
}
