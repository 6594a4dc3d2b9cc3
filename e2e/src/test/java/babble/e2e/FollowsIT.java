package babble.e2e;

import static babble.e2e.AccountsIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.contracts.api.UserPage;
import babble.contracts.api.UserView;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API.md, Seed 000: follow, unfollow, check, follower lists, and the live notification. */
class FollowsIT extends E2E {

    private static String followPath(Object follower, Object target) {
        return "/api/v1/users/" + follower + "/follow/" + target;
    }

    @Test
    void followCheckAndUnfollow() {
        var ana = newUser("ana");
        var bea = newUser("bea");

        assertThat(ana.call("POST", followPath(ana.id(), bea.id()), null).status()).isEqualTo(204);
        assertThat(ana.call("POST", followPath(ana.id(), bea.id()), null).status()).isEqualTo(204); // idempotent
        assertThat(bea.call("GET", followPath(ana.id(), bea.id()), null).json().get("following").asBoolean()).isTrue();
        assertThat(ana.call("GET", followPath(bea.id(), ana.id()), null).json().get("following").asBoolean()).isFalse();

        assertThat(ana.call("DELETE", followPath(ana.id(), bea.id()), null).status()).isEqualTo(204);
        assertThat(ana.call("DELETE", followPath(ana.id(), bea.id()), null).status()).isEqualTo(204); // idempotent
        assertThat(ana.call("GET", followPath(ana.id(), bea.id()), null).json().get("following").asBoolean()).isFalse();
    }

    @Test
    void theErrorsOfFollowing() {
        var cal = newUser("cal");
        var dot = newUser("dot");

        assertProblem(dot.call("POST", followPath(cal.id(), dot.id()), null), 403); // only {id} = caller
        assertProblem(dot.call("DELETE", followPath(cal.id(), dot.id()), null), 403);
        assertProblem(cal.call("POST", followPath(cal.id(), cal.id()), null), 422); // self
        assertProblem(cal.call("POST", followPath(cal.id(), UUID.randomUUID()), null), 404); // unknown target
        assertProblem(cal.call("POST", followPath(cal.id(), "not-an-id"), null), 404);
        assertProblem(cal.call("GET", followPath(UUID.randomUUID(), dot.id()), null), 404);
        assertProblem(client.call("POST", followPath(cal.id(), dot.id()), null, null), 401);
        assertProblem(cal.call("GET", "/api/v1/users/" + UUID.randomUUID() + "/followers", null), 404);
        assertProblem(cal.call("GET", "/api/v1/users/" + cal.id() + "/followers?limit=0", null), 422);
    }

    @Test
    void followersAndFollowingArePagedNewestFirst() {
        var eli = newUser("eli");
        List<UUID> fans = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var fan = newUser("fan");
            fan.call("POST", followPath(fan.id(), eli.id()), null);
            fans.add(fan.id());
        }

        UserPage first = eli.call("GET", "/api/v1/users/" + eli.id() + "/followers?limit=2", null).as(UserPage.class);
        UserPage rest = eli.call("GET", "/api/v1/users/" + eli.id() + "/followers?limit=2&cursor=" + first.next(), null)
                .as(UserPage.class);

        List<UUID> seen = new ArrayList<>(first.users().stream().map(UserView::id).toList());
        seen.addAll(rest.users().stream().map(UserView::id).toList());
        assertThat(seen).containsExactlyElementsOf(fans.reversed());
        assertThat(rest.next()).isNull();
        ApiResponse following = eli.call("GET", "/api/v1/users/" + fans.getFirst() + "/following", null);
        assertThat(following.as(UserPage.class).users()).extracting(UserView::id).containsExactly(eli.id());
        assertThat(following.json().has("next")).isTrue();
    }

    @Test
    void aFollowedUsersSocketGetsANotification() {
        var gil = newUser("gil");
        var hal = newUser("hal");
        try (var socket = live(hal)) {
            gil.call("POST", followPath(gil.id(), hal.id()), null);

            JsonNode note = socket.awaitType("notification", Duration.ofSeconds(5));
            assertThat(note.get("kind").asText()).isEqualTo("followed");
            assertThat(note.get("by").get("id").asText()).isEqualTo(gil.id().toString());
            assertThat(note.get("by").get("username").asText()).isEqualTo(gil.user().username());
        }
    }
}
