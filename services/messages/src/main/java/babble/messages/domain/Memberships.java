package babble.messages.domain;

import babble.contracts.internal.Membership;
import babble.messages.store.MembershipStore;
import babble.platform.db.Database;
import babble.platform.identity.Identity;
import babble.platform.problem.Forbidden;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read and post in a room. Answered from this service's copy (kept from room events) when the copy is
 * known to include the caller's own latest membership change: the caller's signed identity names that change's
 * version, and the copy records the version each membership was known at. Otherwise (a change whose event has
 * not arrived yet, or a membership the copy never saw) the rooms service is asked and the copy updated.
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

    /**
     * The members a text names as {@code @username}, in the order named, once each, leaving out {@code author}:
     * read from the copy (usernames come with the rooms service's join events). A name no member has is no one.
     */
    public java.util.List<UUID> mentioned(UUID roomId, String text, UUID author) {
        var names = Mentions.names(text);
        if (names.isEmpty()) {
            return java.util.List.of();
        }
        var members = db.withHandle(h -> store.members(h, roomId, names));
        var ids = new java.util.LinkedHashSet<UUID>();
        names.forEach(name -> {
            UUID id = members.get(name);
            if (id != null && !id.equals(author)) {
                ids.add(id);
            }
        });
        return java.util.List.copyOf(ids);
    }

    /** Passes when the caller is a member; 404 when the room does not exist, 403 when they are not in it. */
    public void requireMember(UUID roomId, Identity caller) {
        UUID userId = caller.requireUser();
        long known = caller.membershipVersion();
        var copy = db.withHandle(h -> store.find(h, roomId, userId));
        if (copy.isPresent() && copy.get().userVersion() >= known) {
            if (copy.get().member()) {
                return;
            }
            // "Not a member" is trusted only against a version the caller named: without one, a join may be newer.
            if (known > 0) {
                throw notMember(roomId);
            }
        }
        Membership answer = rooms.membership(roomId, userId); // NotFound propagates as 404
        try {
            db.useTransaction(tx -> store.apply(tx, answer));
        } catch (RuntimeException e) {
            log.debug("could not record membership of {} in {}: {}", userId, roomId, e.toString()); // a cache; events fix it
        }
        if (!answer.member()) {
            throw notMember(roomId);
        }
    }

    private static Forbidden notMember(UUID roomId) {
        return new Forbidden("only members of room " + roomId + " may do this");
    }
}
