package babble.contracts.internal;

import java.util.UUID;

/**
 * rooms → any service keeping a copy of memberships, {@code GET /internal/rooms/{id}/members/{userId}}: whether
 * the user is in the room now, read in one snapshot with the room's membership version ({@code version}, grows
 * with every join or leave in the room) and the user's ({@code userVersion}, grows with every join or leave of
 * the user).
 */
public record Membership(UUID roomId, UUID userId, boolean member, long version, long userVersion) {
    /**
     * On the rooms service's answers to a join, a leave and a room creation: the caller's user version after the
     * change, which the caller passes on in its signed identity (see {@code Identity.membershipVersion}).
     */
    public static final String VERSION_HEADER = "X-Babble-Membership-Version";
}
