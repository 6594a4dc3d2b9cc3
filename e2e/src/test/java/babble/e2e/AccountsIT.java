package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.ApiResponse;
import babble.contracts.api.SessionView;
import babble.contracts.api.UserView;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API.md, Accounts: register, sign in, sign out, who am I, a user by id, and every error of those. */
class AccountsIT extends E2E {

    @Test
    void registeringAnswers201WithTheNewUser() {
        String name = uniqueName("ann");

        ApiResponse response = client.call("POST", "/api/v1/users",
                Map.of("username", name, "password", PASSWORD, "displayName", "Ann Example"), null);

        assertThat(response.status()).isEqualTo(201);
        UserView user = response.as(UserView.class);
        assertThat(user.id()).isNotNull();
        assertThat(user.username()).isEqualTo(name);
        assertThat(user.displayName()).isEqualTo("Ann Example");
    }

    @Test
    void theDisplayNameDefaultsToTheUsername() {
        String name = uniqueName("bo");

        UserView user = client.register(name, PASSWORD, null);

        assertThat(user.displayName()).isEqualTo(name);
    }

    @Test
    void aTakenUsernameIs409AndTheFirstAccountStillWorks() {
        String name = uniqueName("cy");
        client.register(name, PASSWORD, null);

        ApiResponse second = client.call("POST", "/api/v1/users", Map.of("username", name, "password", "another password"), null);

        assertProblem(second, 409);
        assertThat(client.login(name, PASSWORD).user().username()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Uppercase", "has space", "emoji\uD83D\uDE00x", "a_name_that_is_much_longer_than_32_chars"})
    void anInvalidUsernameIs422NamingTheField(String username) {
        ApiResponse response = client.call("POST", "/api/v1/users", Map.of("username", username, "password", PASSWORD), null);

        assertProblem(response, 422);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("username");
    }

    @Test
    void aShortPasswordIs422NamingTheFieldAndCreatesNothing() {
        String name = uniqueName("dee");

        ApiResponse response = client.call("POST", "/api/v1/users", Map.of("username", name, "password", "short"), null);

        assertProblem(response, 422);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("password");
        assertThat(client.call("POST", "/api/v1/users", Map.of("username", name, "password", PASSWORD), null).status())
                .isEqualTo(201);
    }

    @Test
    void missingFieldsAre422() {
        assertProblem(client.call("POST", "/api/v1/users", Map.of("password", PASSWORD), null), 422);
        assertProblem(client.call("POST", "/api/v1/users", Map.of("username", uniqueName("eve")), null), 422);
    }

    @Test
    void aValueOfTheWrongTypeIs422() {
        ApiResponse response = client.call("POST", "/api/v1/users", "{\"username\": 12345, \"password\": \"" + PASSWORD + "\"}", null);

        assertProblem(response, 422);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("username");
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(client.call("POST", "/api/v1/users", "{\"username\": ", null), 400);
        assertProblem(client.call("POST", "/api/v1/users", "[1, 2]", null), 400);
        assertProblem(client.call("POST", "/api/v1/users", "", null), 400);
    }

    @Test
    void aBodyOver64KiBIs413() {
        String huge = "{\"username\":\"" + "a".repeat(70 * 1024) + "\",\"password\":\"" + PASSWORD + "\"}";

        assertProblem(client.call("POST", "/api/v1/users", huge, null), 413);
    }

    @Test
    void signingInAnswers201WithATokenAndTheUser() {
        String name = uniqueName("fay");
        UserView registered = client.register(name, PASSWORD, null);

        ApiResponse response = client.call("POST", "/api/v1/sessions", Map.of("username", name, "password", PASSWORD), null);

        assertThat(response.status()).isEqualTo(201);
        SessionView session = response.as(SessionView.class);
        assertThat(session.token()).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        assertThat(session.user()).isEqualTo(registered);
    }

    @Test
    void aWrongPasswordOrUnknownUserIs401() {
        String name = uniqueName("gus");
        client.register(name, PASSWORD, null);

        assertProblem(client.call("POST", "/api/v1/sessions", Map.of("username", name, "password", "wrong password"), null), 401);
        assertProblem(client.call("POST", "/api/v1/sessions", Map.of("username", uniqueName("nobody"), "password", PASSWORD), null), 401);
    }

    @Test
    void meAnswersTheSignedInUser() {
        var hal = newUser("hal");

        ApiResponse response = hal.call("GET", "/api/v1/users/me", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.as(UserView.class)).isEqualTo(hal.user());
    }

    @Test
    void callsWithoutAValidTokenAre401() {
        assertProblem(client.call("GET", "/api/v1/users/me", null, null), 401);
        assertProblem(client.call("GET", "/api/v1/users/me", null, "not-a-real-token"), 401);
        assertProblem(client.call("GET", "/api/v1/rooms", null, null), 401);
    }

    @Test
    void aUserByIdIsVisibleToOthers() {
        var ivy = newUser("ivy");
        var jon = newUser("jon");

        ApiResponse response = jon.call("GET", "/api/v1/users/" + ivy.id(), null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.as(UserView.class)).isEqualTo(ivy.user());
    }

    @Test
    void anUnknownOrMalformedUserIdIs404() {
        var kim = newUser("kim");

        assertProblem(kim.call("GET", "/api/v1/users/" + UUID.randomUUID(), null), 404);
        assertProblem(kim.call("GET", "/api/v1/users/not-an-id", null), 404);
    }

    @Test
    void signingOutRevokesTheTokenEverywhereButNotOtherSessions() {
        String name = uniqueName("lou");
        client.register(name, PASSWORD, null);
        var first = client.signIn(name, PASSWORD);
        var second = client.signIn(name, PASSWORD);
        assertThat(first.call("GET", "/api/v1/users/me", null).status()).isEqualTo(200);

        ApiResponse logout = first.call("DELETE", "/api/v1/sessions/current", null);

        assertThat(logout.status()).isEqualTo(204);
        assertProblem(first.call("GET", "/api/v1/users/me", null), 401);
        assertProblem(first.call("GET", "/api/v1/rooms", null), 401);
        assertProblem(first.call("DELETE", "/api/v1/sessions/current", null), 401);
        assertThat(second.call("GET", "/api/v1/users/me", null).status()).isEqualTo(200);
    }

    @Test
    void anUnknownRouteIs404ProblemJson() {
        assertProblem(client.call("GET", "/api/v1/no-such-thing", null, null), 404);
    }

    @Test
    void aKnownPathWithAnotherMethodIs405AndABodyThatIsNotJsonIs415() {
        var amy = newUser("amy");
        var patch = amy.call("PATCH", "/api/v1/rooms", Map.of("name", "x"));
        assertProblem(patch, 405);
        assertThat(patch.header("Allow")).contains("GET").contains("POST");
        int rooms = amy.myRooms().rooms().size();
        var xml = client.send("POST", "/api/v1/rooms", java.net.http.HttpRequest.BodyPublishers.ofString("<room name='x'/>"),
                "application/xml", amy.token(), Map.of(), java.time.Duration.ofSeconds(10));
        assertProblem(xml, 415);
        assertThat(amy.myRooms().rooms()).hasSize(rooms); // nothing created
    }

    @Test
    void theOpenApiDocumentIsServed() {
        ApiResponse response = client.call("GET", "/api/v1/openapi.json", null, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("openapi").asText()).startsWith("3.");
        assertThat(response.json().get("paths").has("/rooms/{id}/messages")).isTrue();
    }

    static void assertProblem(ApiResponse response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        var body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("type").asText()).isNotBlank();
        assertThat(body.has("detail")).isTrue();
    }
    @Test
    void peopleAreFoundByTheStartOfTheirUsernameAndTheOneFoundCanBeMessaged() {
        String stem = uniqueName("fp"); // fp_ and ten random letters: no one else's username starts so
        var ann = newUser("finder");
        var one = client.signUp(stem + "_one", PASSWORD);
        var two = client.signUp(stem + "_two", PASSWORD);

        var found = ann.call("GET", "/api/v1/users?prefix=" + stem.toUpperCase() + "&limit=1", null).orThrow().json();
        var rest = ann.call("GET", "/api/v1/users?prefix=" + stem + "&limit=1&cursor=" + found.get("next").asText(), null)
                .orThrow().json();

        assertThat(found.get("users").findValuesAsText("id")).containsExactly(one.id().toString());
        assertThat(rest.get("users").findValuesAsText("id")).containsExactly(two.id().toString());
        assertThat(rest.get("next").isNull()).isTrue();
        assertThat(ann.call("POST", "/api/v1/dms", Map.of("userId", found.get("users").get(0).get("id").asText())).status())
                .isEqualTo(201);
        assertThat(client.call("GET", "/api/v1/users?prefix=" + stem, null, null).status()).as("anonymous").isEqualTo(401);
        assertThat(ann.call("GET", "/api/v1/users?prefix=" + stem + "%25", null).status()).as("outside the alphabet").isEqualTo(422);
    }
}
