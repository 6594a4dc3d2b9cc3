package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.BabbleClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A user's own membership change holds on their very next request (read-your-writes), although services answer
 * "may this user post here?" from copies that events update a little later: a post right after a leave is
 * refused, a post right after a join accepted, every time, over one connection and from gateway to gateway.
 */
class MembershipRaceIT extends E2E {
    private static final int ROUNDS = Integer.getInteger("babble.e2e.raceRounds", 1000);
    private static final int ROUNDS_PER_VISITOR = 200;

    private static int status(UserSession user, String method, String path, Object body) {
        return user.call(method, path, body).status();
    }

    /**
     * join → post → leave → post, {@link #ROUNDS} times in all, by fresh visitors taking turns (each stays within
     * the per-user burst of the rate limit); the join and leave go through {@code joinAndLeave}, the posts through
     * {@code post}: the same client (one connection), or clients of two gateways.
     */
    private void race(BabbleClient joinAndLeave, BabbleClient post, UUID room) {
        String members = "/api/v1/rooms/" + room + "/members/me";
        String messages = "/api/v1/rooms/" + room + "/messages";
        UserSession visitor = null;
        UserSession posting = null;
        for (int round = 0; round < ROUNDS; round++) {
            if (round % ROUNDS_PER_VISITOR == 0) {
                visitor = new UserSession(joinAndLeave, newUser("visitor").token(), null);
                posting = new UserSession(post, visitor.token(), null);
            }
            assertThat(status(visitor, "PUT", members, null)).isEqualTo(200);
            assertThat(status(posting, "POST", messages, Map.of("text", "in " + round)))
                    .as("a post right after joining, round %d", round).isEqualTo(201);
            assertThat(status(visitor, "DELETE", members, null)).isEqualTo(204);
            assertThat(status(posting, "POST", messages, Map.of("text", "out " + round)))
                    .as("a post right after leaving, round %d", round).isEqualTo(403);
        }
    }

    @Test
    void aPostRightAfterLeavingIsRefusedAndOneRightAfterJoiningAcceptedEveryTime() {
        var owner = newUser("owner");
        UUID room = owner.createRoom("revolving door").id();

        race(client, client, room);

        var texts = owner.latest(room, 200).stream().map(m -> m.text()).toList();
        assertThat(texts).noneMatch(text -> text.startsWith("out "));
    }

    @Test
    void theSameHoldsWhenTheLeaveGoesThroughOneGatewayAndThePostThroughAnother() {
        assumeTrue(deployment.gateways().size() > 1, "needs a deployment with two gateways (processes mode)");
        var owner = newUser("owner");
        UUID room = owner.createRoom("two doors").id();
        try (var other = new BabbleClient(deployment.gateways().get(1))) {
            race(client, other, room);
        }
    }

    @Test
    void aLogoutThroughOneGatewayEndsTheTokenOnTheNextRequestThroughAnother() {
        assumeTrue(deployment.gateways().size() > 1, "needs a deployment with two gateways (processes mode)");
        try (var other = new BabbleClient(deployment.gateways().get(1))) {
            for (int round = 0; round < 20; round++) {
                var user = newUser("leaver");
                var throughOther = new UserSession(other, user.token(), user.user());
                assertThat(status(throughOther, "GET", "/api/v1/users/me", null)).isEqualTo(200); // known to the other gateway

                user.logout();

                assertThat(status(throughOther, "GET", "/api/v1/users/me", null)).as("round %d", round).isEqualTo(401);
            }
        }
    }

    @Test
    void aSocketOfAMemberWhoLeavesGetsNoMessagePostedAfterTheLeaveWasAnswered() {
        var owner = newUser("owner");
        var visitor = newUser("visitor");
        UUID room = owner.createRoom("quiet exit").id();
        try (var socket = live(visitor)) {
            for (int round = 0; round < 20; round++) {
                visitor.join(room);
                socket.subscribe(room, round); // the owner has posted one message a round: nothing to catch up
                socket.awaitType("subscribed", Duration.ofSeconds(10));

                visitor.leave(room);
                owner.post(room, "after the leave " + round);

                var frames = new ArrayList<JsonNode>();
                JsonNode gone = socket.await(f -> f.path("type").asText().equals("unsubscribed"), Duration.ofSeconds(10),
                        frames);
                assertThat(gone.get("reason").asText()).isEqualTo("left");
                frames.addAll(socket.drain(Duration.ofMillis(300)));
                assertThat(frames).as("round %d", round).noneMatch(frame -> frame.path("type").asText().equals("message"));
            }
        }
    }
}
