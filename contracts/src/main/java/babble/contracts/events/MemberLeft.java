package babble.contracts.events;

import java.util.UUID;

/** A user stopped being a member of a room; see {@link MemberJoined} for {@code version}. Key: the room id. */
public record MemberLeft(UUID roomId, UUID userId, long version) {
    public static final String TYPE = "room.member-left";
}
