package babble.contracts.events;

import babble.contracts.api.UserView;
import java.util.UUID;

/**
 * A user became a member of a room. {@code version} grows with every membership change of the room, so a
 * consumer that sees changes out of order keeps the newest; {@code userVersion} grows with every membership
 * change of the user (see {@code Membership}). Key: the room id.
 */
public record MemberJoined(UUID roomId, UserView user, long version, long userVersion) {
    public static final String TYPE = "room.member-joined";
}
