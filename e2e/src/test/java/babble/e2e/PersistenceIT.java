package babble.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import babble.client.BabbleClient;
import babble.client.UserSession;
import babble.contracts.api.MessageView;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Everything survives a stop and a start of the whole deployment on the same data. */
@UsesFailuresDeployment
class PersistenceIT {
    private static LocalDeployment deployment;

    @BeforeAll
    static void start() {
        deployment = Deployments.failures();
    }

    @Test
    void accountsSessionsRoomsAndMessagesAreStillThereAfterARestart() {
        var client = new BabbleClient(deployment.baseUrl());
        UserSession vic = client.signUp(E2E.uniqueName("vic"), E2E.PASSWORD);
        UserSession wes = client.signUp(E2E.uniqueName("wes"), E2E.PASSWORD);
        UUID room = vic.createRoom("survivors", "still here").id();
        wes.join(room);
        vic.post(room, "before the restart", "k1");
        wes.post(room, "me too");
        wes.markRead(room, 1);

        deployment.restart();

        var after = new BabbleClient(deployment.baseUrl());
        var vicAgain = new UserSession(after, vic.token(), vic.user());
        var wesAgain = after.signIn(wes.user().username(), E2E.PASSWORD);
        assertThat(vicAgain.me()).isEqualTo(vic.user());
        assertThat(vicAgain.room(room).memberCount()).isEqualTo(2);
        assertThat(vicAgain.latest(room, 50)).extracting(MessageView::text).containsExactly("before the restart", "me too");
        assertThat(vicAgain.post(room, "before the restart", "k1").seq()).isEqualTo(1); // the key is remembered too
        assertThat(wesAgain.post(room, "after the restart").seq()).isEqualTo(3);
        var wesRoom = wesAgain.myRooms().rooms().getFirst();
        assertThat(wesRoom.lastReadSeq()).isEqualTo(3);
        assertThat(vicAgain.myRooms().rooms().getFirst().unread()).isEqualTo(2);
    }
}
