package babble.contracts.events;

import java.util.UUID;

/** A user stopped being a member of a room; see {@link MemberJoined} for the versions. Key: the room id. */
public record MemberLeft(UUID roomId, UUID userId, long version, long userVersion) {
    public static final String TYPE = "room.member-left";
}
