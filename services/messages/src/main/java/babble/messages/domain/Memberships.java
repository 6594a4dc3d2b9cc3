package babble.messages.domain;

import babble.contracts.internal.Membership;
import babble.messages.store.MembershipStore;
import babble.platform.db.Database;
import babble.platform.problem.Forbidden;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read and post in a room. Answered from this service's copy (kept from room events); on a miss, for
 * example a user who joined a moment ago, the rooms service is asked and the copy updated.
 */
public final class Memberships {
    private static final Logger log = LoggerFactory.getLogger(Memberships.class);

    private final Database db;
    private final MembershipStore store;
    private final RoomDirectory rooms;

    public Memberships(Database db, MembershipStore store, RoomDirectory rooms) {
        this.db = db;
        this.store = store;
        this.rooms = rooms;
    }

    /** Passes when the user is a member; 404 when the room does not exist, 403 when they are not in it. */
    public void requireMember(UUID roomId, UUID userId) {
        if (db.withHandle(h -> store.isMember(h, roomId, userId))) {
            return;
        }
        Membership answer = rooms.membership(roomId, userId); // NotFound propagates as 404
        try {
            db.useTransaction(tx -> store.apply(tx, roomId, userId, answer.member(), answer.version()));
        } catch (RuntimeException e) {
            log.debug("could not record membership of {} in {}: {}", userId, roomId, e.toString()); // a cache; events fix it
        }
        if (!answer.member()) {
            throw new Forbidden("only members of room " + roomId + " may do this");
        }
    }
}
