package babble.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import babble.contracts.api.SessionView;
import babble.contracts.api.UserView;
import babble.contracts.events.UserRegistered;
import babble.contracts.internal.TokenCheck;
import babble.contracts.internal.VerifiedSession;
import babble.platform.identity.Identity;
import babble.platform.testing.TestHarness;
import babble.users.domain.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The users service on its real store, called as the gateway calls it. */
class UsersServiceTest {
    static final Identity GATEWAY = Identity.ofService("gateway");
    static TestHarness harness;

    @BeforeAll
    static void start() {
        harness = TestHarness.start(Map.of("BABBLE_SESSION_TTL", "2s"), new UsersService());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private UserView register(String username) {
        var reply = harness.call("users", "POST", "/api/v1/users", Map.of("username", username, "password", "pass-word-1"), GATEWAY);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(UserView.class);
    }

    private SessionView login(String username) {
        var reply = harness.call("users", "POST", "/api/v1/sessions", Map.of("username", username, "password", "pass-word-1"), GATEWAY);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.as(SessionView.class);
    }

    private int verify(String token) {
        return harness.call("users", "POST", "/internal/sessions/verify", new TokenCheck(token), GATEWAY).status();
    }

    @Test
    void passwordsAreStoredAsArgon2idHashesAndTokensOnlyAsTheirHash() {
        UserView user = register("stored");
        SessionView session = login("stored");

        var db = harness.launcher().host("users").orElseThrow().chassis().database();
        String hash = db.withHandle(h -> h.createQuery("select password_hash from users where id = :id")
                .bind("id", user.id()).mapTo(String.class).one());
        var redis = harness.launcher().infrastructure().redis();
        List<String> tokens = redis.isPresent()
                ? redis.get().commands().keys(redis.get().key("session", "*")).stream()
                        .map(k -> k.substring(k.lastIndexOf(':') + 1)).toList()
                : db.withHandle(h -> h.createQuery("select token_hash from sessions where user_id = :id")
                        .bind("id", user.id()).mapTo(String.class).list());

        assertThat(hash).startsWith("$argon2id$").doesNotContain("pass-word-1");
        assertThat(tokens).contains(Tokens.hash(session.token())).doesNotContain(session.token());
    }

    @Test
    void aTokenVerifiesToItsUserUntilLogout() {
        UserView user = register("verified");
        SessionView session = login("verified");

        var verified = harness.call("users", "POST", "/internal/sessions/verify", new TokenCheck(session.token()), GATEWAY)
                .as(VerifiedSession.class);
        assertThat(verified.user()).isEqualTo(user);
        assertThat(verified.tokenHash()).isEqualTo(Tokens.hash(session.token()));

        var logout = harness.call("users", "DELETE", "/api/v1/sessions/current", null, GATEWAY,
                Map.of("Authorization", "Bearer " + session.token()));
        assertThat(logout.status()).isEqualTo(204);
        assertThat(verify(session.token())).isEqualTo(401);
    }

    @Test
    void aSessionExpiresAfterItsLifetime() {
        register("expiring");
        SessionView session = login("expiring");
        assertThat(verify(session.token())).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> verify(session.token()) == 401);
    }

    @Test
    void registeringPublishesUserRegistered() {
        List<UserRegistered> seen = new CopyOnWriteArrayList<>();
        harness.launcher().infrastructure().bus().consume("test-registered", "events.user.registered.>",
                e -> seen.add(e.dataAs(UserRegistered.class)));

        UserView user = register("announced");

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(u -> u.user().equals(user)));
    }

    @Test
    void aSystemUserIsCreatedOnceAndCannotSignIn() {
        var first = harness.call("users", "PUT", "/internal/system-users/babblebot", Map.of("displayName", "Babble Bot"), GATEWAY);
        var second = harness.call("users", "PUT", "/internal/system-users/babblebot", Map.of("displayName", "Babble Bot"), GATEWAY);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.as(UserView.class)).isEqualTo(first.as(UserView.class));
        var attempt = harness.call("users", "POST", "/api/v1/sessions", Map.of("username", "babblebot", "password", ""), GATEWAY);
        assertThat(attempt.status()).isEqualTo(401);
    }

    @Test
    void usersCanBeFetchedInOneBatch() {
        UserView a = register("batch_a");
        UserView b = register("batch_b");

        var reply = harness.call("users", "GET", "/internal/users?ids=" + a.id() + "," + b.id() + ",not-a-uuid", null, GATEWAY);

        assertThat(reply.json().get("users").size()).isEqualTo(2);
    }

    @Test
    void meNeedsAUserInTheIdentity() {
        assertThat(harness.call("users", "GET", "/api/v1/users/me", null, GATEWAY).status()).isEqualTo(401);
    }

    @Test
    void peopleAreFoundByTheStartOfTheirUsernamePageByPage() {
        UserView ann = register("look_ann");
        UserView amy = register("look_amy");
        UserView lookx = register("lookxbo"); // "_" in a prefix is itself, not LIKE's any-one-character
        register("other_look");
        var caller = Identity.ofUser("gateway", ann.id(), ann.username(), ann.displayName());

        var first = harness.call("users", "GET", "/api/v1/users?prefix=LOOK_&limit=1", null, caller);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().get("users").findValuesAsText("username")).containsExactly("look_amy");
        String next = first.json().get("next").asText();
        var second = harness.call("users", "GET", "/api/v1/users?prefix=look_&limit=1&cursor=" + next, null, caller);
        assertThat(second.json().get("users").findValuesAsText("username")).containsExactly("look_ann");
        assertThat(second.json().get("next").isNull()).as(second.text()).isTrue();

        var all = harness.call("users", "GET", "/api/v1/users?prefix=look", null, caller);
        assertThat(all.json().get("users").findValuesAsText("id"))
                .containsExactly(amy.id().toString(), ann.id().toString(), lookx.id().toString());
        assertThat(harness.call("users", "GET", "/api/v1/users?prefix=nobody", null, caller).json().get("users")).isEmpty();
    }

    @Test
    void findingPeopleNeedsASignedInCallerAndAPrefixOfTheUsernameAlphabet() {
        UserView zed = register("zed_finder");
        var caller = Identity.ofUser("gateway", zed.id(), zed.username(), zed.displayName());

        assertThat(harness.call("users", "GET", "/api/v1/users?prefix=zed", null, GATEWAY).status()).isEqualTo(401);
        for (String query : List.of("", "?prefix=", "?prefix=a%20b", "?prefix=%25", "?prefix=" + "a".repeat(33),
                "?prefix=zed&limit=0", "?prefix=zed&limit=51", "?prefix=zed&cursor=a%25")) {
            var reply = harness.call("users", "GET", "/api/v1/users" + query, null, caller);
            assertThat(reply.status()).as(query + " -> " + reply.text()).isEqualTo(422);
        }
    }
}
