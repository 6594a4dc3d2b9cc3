package babble.contracts.api;

import java.util.List;

/** {@code GET /rooms/{id}/members}: one page of members, and the cursor of the next (null on the last page). */
public record MemberPage(List<UserView> members, String next) {
}
