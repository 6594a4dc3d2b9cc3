package babble.e2e;

import static babble.e2e.AccountsIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import babble.client.ApiResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's point: with the follow service (or the counter) down, the site stays up. Calls to the missing
 * service answer 503 with Retry-After within a second; everything else works; when it returns, so do they.
 */
class IsolationIT extends E2E {

    @Test
    void withFollowsDownEverythingElseWorksAndFollowCallsFailFastThenRecover() {
        assumeTrue(deployment.isLocal(), "needs a deployment this suite controls");
        var ivy = newUser("ivy");
        var jon = newUser("jon");
        UUID room = ivy.createRoom("isolation").id();
        jon.join(room);

        deployment.stopService("follows");
        try {
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                ApiResponse follow = ivy.call("POST", "/api/v1/users/" + ivy.id() + "/follow/" + jon.id(), null);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertProblem(follow, 503);
                assertThat(follow.header("Retry-After")).isNotBlank();
                assertThat(millis).isLessThan(1_000);
            }
            assertProblem(ivy.call("GET", "/api/v1/users/" + ivy.id() + "/followers", null), 503);

            try (var socket = live(jon)) { // chat, rooms, live, accounts, counter: all still fine
                socket.subscribe(room, 0);
                socket.awaitType("subscribed", Duration.ofSeconds(5));
                ivy.post(room, "still chatting");
                assertThat(socket.awaitType("message", Duration.ofSeconds(5)).get("message").get("text").asText())
                        .isEqualTo("still chatting");
            }
            assertThat(newUser("kim").createRoom("new room").name()).isEqualTo("new room");
            assertThat(client.call("GET", "/api/v1/counter", null, null).status()).isEqualTo(200);
            assertThat(client.call("GET", "/", null, null).status()).isEqualTo(200);
        } finally {
            deployment.startService("follows");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(ivy.call("POST", "/api/v1/users/" + ivy.id() + "/follow/" + jon.id(), null).status()).isEqualTo(204));
        assertThat(jon.call("GET", "/api/v1/users/" + ivy.id() + "/follow/" + jon.id(), null).json().get("following").asBoolean())
                .isTrue();
    }

    @Test
    void withTheCounterDownEverythingElseWorksAndVisitsFailFastThenRecover() {
        assumeTrue(deployment.isLocal(), "needs a deployment this suite controls");
        var lou = newUser("lou");
        long before = client.call("GET", "/api/v1/counter", null, null).json().get("visits").asLong();

        deployment.stopService("counter");
        try {
            long start = System.nanoTime();
            ApiResponse visit = client.call("GET", "/api/v1/counter", null, null);
            assertProblem(visit, 503);
            assertThat(visit.header("Retry-After")).isNotBlank();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
            UUID room = lou.createRoom("counting").id();
            assertThat(lou.post(room, "no counter, no problem").seq()).isEqualTo(1);
        } finally {
            deployment.startService("counter");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(client.call("GET", "/api/v1/counter", null, null).status()).isEqualTo(200));
        assertThat(client.call("GET", "/api/v1/counter", null, null).json().get("visits").asLong()).isGreaterThan(before);
    }

    @Test
    void aSubscriptionMadeWhileMessagesIsDownWaitsAndCatchesUpWhenItReturns() {
        assumeTrue(deployment.isLocal(), "needs a deployment this suite controls");
        var lia = newUser("lia");
        UUID room = lia.createRoom("waits for messages").id();
        for (int i = 1; i <= 3; i++) {
            lia.post(room, "before " + i);
        }
        try (var socket = live(lia)) {
            deployment.stopService("messages");
            try {
                socket.subscribe(room, 0);
                assertThat(socket.drain(Duration.ofSeconds(1))).as("no answer, and no error, while it is down").isEmpty();
            } finally {
                deployment.startService("messages");
            }
            var frames = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
            var subscribed = socket.await(f -> f.path("type").asText().equals("subscribed"), Duration.ofSeconds(30), frames);
            assertThat(subscribed.get("recovered").asBoolean()).isTrue();
            assertThat(subscribed.get("lastSeq").asLong()).isEqualTo(3);
            assertThat(frames).filteredOn(f -> f.path("type").asText().equals("message"))
                    .extracting(f -> f.get("message").get("text").asText())
                    .containsExactly("before 1", "before 2", "before 3");
            lia.post(room, "after");
            assertThat(socket.awaitType("message", Duration.ofSeconds(5)).get("message").get("text").asText()).isEqualTo("after");
        }
    }

    @Test
    void withRoomsDownASubscribeIsAnsweredPerRoomSoTheClientCanRetryIt() {
        assumeTrue(deployment.isLocal(), "needs a deployment this suite controls");
        var max = newUser("max");
        UUID room = max.createRoom("rooms will be back").id();
        try (var socket = live(max)) {
            deployment.stopService("rooms");
            try {
                socket.subscribe(room, 0);
                var error = socket.awaitType("error", Duration.ofSeconds(10));
                assertThat(error.get("status").asInt()).isEqualTo(503);
                assertThat(error.get("roomId").asText()).isEqualTo(room.toString());
            } finally {
                deployment.startService("rooms");
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                socket.subscribe(room, 0);
                assertThat(socket.await(f -> !f.path("type").asText().equals("error"), Duration.ofSeconds(2), null)
                        .path("type").asText()).isEqualTo("subscribed");
            });
        }
    }
}
