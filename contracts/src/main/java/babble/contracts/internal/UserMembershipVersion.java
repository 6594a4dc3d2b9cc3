package babble.contracts.internal;

/** rooms → gateway {@code GET /internal/members/{userId}/version}: the user's latest membership version. */
public record UserMembershipVersion(long version) {
}
