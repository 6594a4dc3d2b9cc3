package babble.search.domain;

import static org.assertj.core.api.Assertions.assertThat;

import babble.contracts.api.RoomView;
import babble.contracts.events.MemberLeft;
import babble.contracts.events.RoomCreated;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The kept copy of a user's rooms: trusted only for callers whose last membership change it already includes. */
class MembershipsTest {
    private final UUID userId = UUID.randomUUID();
    private final List<Set<UUID>> answers = new ArrayList<>();
    private int asked;
    private final Memberships memberships = new Memberships(user -> {
        asked++;
        return answers.removeFirst();
    }, Duration.ofMinutes(1), 100);

    private Identity caller(long membershipVersion) {
        return Identity.ofUser("gateway", userId, "alice", "Alice").withMembershipVersion(membershipVersion);
    }

    @Test
    void aKeptAnswerServesCallersItIsNewEnoughFor() {
        UUID room = UUID.randomUUID();
        answers.add(Set.of(room));

        assertThat(memberships.roomsOf(caller(3))).containsExactly(room);
        assertThat(memberships.roomsOf(caller(3))).containsExactly(room);
        assertThat(memberships.roomsOf(caller(2))).containsExactly(room);
        assertThat(asked).isEqualTo(1);
    }

    @Test
    void aCallerWhoseJoinOrLeaveIsNewerIsAnsweredAfresh() {
        UUID room = UUID.randomUUID();
        answers.add(Set.of(room));
        answers.add(Set.of());
        memberships.roomsOf(caller(3));

        assertThat(memberships.roomsOf(caller(4))).isEmpty();
        assertThat(memberships.roomsOf(caller(3))).isEmpty(); // the newer answer is kept
        assertThat(asked).isEqualTo(2);
    }

    @Test
    void aMembershipEventDropsTheUsersAnswerAndOthersDoNot() {
        answers.add(Set.of());
        answers.add(Set.of(UUID.randomUUID()));
        memberships.roomsOf(caller(0));
        var room = new RoomView(UUID.randomUUID(), "r", null, userId, Instant.now(), 1);

        memberships.onRoomEvent(event(RoomCreated.TYPE, new RoomCreated(room)));
        assertThat(memberships.roomsOf(caller(0))).isEmpty();
        memberships.onRoomEvent(event(MemberLeft.TYPE, new MemberLeft(room.id(), userId, 2, 1)));

        assertThat(memberships.roomsOf(caller(0))).hasSize(1);
        assertThat(asked).isEqualTo(2);
    }

    private static Event event(String type, Object data) {
        return new Event(UUID.randomUUID(), type, 1, Instant.now(), "key", Json.toTree(data), Map.of());
    }
}
