package babble.contracts.events;

import babble.contracts.api.UserView;
import java.util.UUID;

/** A member invited a user into a room (the gateways tell the user's sockets). Key: the room id. */
public record MemberInvited(UUID roomId, String roomName, UUID userId, UserView by) {
    public static final String TYPE = "room.invited";
}
