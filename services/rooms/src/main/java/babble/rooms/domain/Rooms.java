package babble.rooms.domain;

import babble.contracts.api.MemberPage;
import babble.contracts.api.RoomPage;
import babble.contracts.api.RoomView;
import babble.contracts.api.UserView;
import babble.contracts.internal.Membership;
import babble.contracts.internal.RoomAccess;
import babble.platform.Ids;
import babble.platform.db.Database;
import babble.platform.http.Cursors;
import babble.platform.identity.Identity;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.rooms.events.RoomEvents;
import babble.rooms.store.RoomStore;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The rules of rooms: anyone signed in may create, list, join and leave a public room; a creator starts as a
 * member. A private room is seen, and joined, only by its members and those they invited (to anyone else it does
 * not exist: 404); a direct room is the private room of two users, one per pair.
 */
public final class Rooms {
    private static final int MAX_NAME = 64;
    private static final int MAX_TOPIC = 256;
    private static final int MAX_ROOMS_OF_A_USER = 5_000;

    private final Database db;
    private final RoomStore store;
    private final RoomEvents events;
    private final Clock clock;
    private final UserDirectory users;

    /** Who a user id names (the users service): a direct room lists its other user as a member at once. */
    @FunctionalInterface
    public interface UserDirectory {
        java.util.Optional<UserView> find(UUID userId);
    }

    public Rooms(Database db, RoomStore store, RoomEvents events, Clock clock, UserDirectory users) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.users = users;
    }

    /** A room's state after a membership change of the caller, and the caller's membership version after it. */
    public record Changed<T>(T value, long userVersion) {
    }

    public Changed<RoomView> create(Identity caller, String name, String topic, String visibility) {
        UUID creator = caller.requireUser();
        String validName = text("name", name, MAX_NAME, true);
        String validTopic = text("topic", topic, MAX_TOPIC, false);
        if (visibility != null && !visibility.equals(RoomView.PUBLIC) && !visibility.equals(RoomView.PRIVATE)) {
            throw new InvalidField("visibility", "must be public or private");
        }
        var room = new RoomView(Ids.newId(), validName, validTopic, creator, clock.instant(), 1,
                visibility == null ? RoomView.PUBLIC : visibility, false);
        UserView member = member(caller);
        return db.inTransaction(tx -> {
            store.insert(tx, room);
            store.addMember(tx, room.id(), member, room.createdAt());
            long userVersion = store.countUserChange(tx, creator);
            events.created(tx, room);
            events.memberJoined(tx, room.id(), member, 1, userVersion);
            return new Changed<>(room, userVersion);
        });
    }

    public RoomPage list(int limit, String cursor) {
        UUID after = Cursors.decodeId(cursor);
        List<RoomView> page = db.withHandle(h -> store.page(h, after, limit + 1));
        return page.size() > limit
                ? new RoomPage(page.subList(0, limit), Cursors.encode(page.get(limit - 1).id()))
                : new RoomPage(page, null);
    }

    /** The room, for anyone signed in if it is public; a private one only for its members and those invited. */
    public RoomView get(Identity caller, UUID roomId) {
        UUID userId = caller.requireUser();
        return db.withHandle(h -> visible(h, store.find(h, roomId), roomId, userId, true));
    }

    /** The room if {@code userId} may see it: else 404, as if it did not exist. */
    private RoomView visible(org.jdbi.v3.core.Handle h, java.util.Optional<RoomView> found, UUID roomId, UUID userId,
                             boolean invitedMay) {
        RoomView room = found.orElseThrow(() -> NotFound.of("room", roomId));
        if (room.isPrivate() && !store.isMember(h, roomId, userId) && !(invitedMay && store.isInvited(h, roomId, userId))) {
            throw NotFound.of("room", roomId);
        }
        return room;
    }

    /**
     * Makes the caller a member; joining a room one is already in changes nothing. A private room takes only those
     * invited (the invitation is used up).
     */
    public Changed<RoomView> join(Identity caller, UUID roomId) {
        caller.requireUser();
        UserView member = member(caller);
        return db.inTransaction(tx -> {
            RoomView room = store.lock(tx, roomId).orElseThrow(() -> NotFound.of("room", roomId));
            if (store.isMember(tx, roomId, member.id())) {
                return new Changed<>(room, store.userVersion(tx, member.id()));
            }
            if (room.isPrivate()) {
                if (!store.isInvited(tx, roomId, member.id())) {
                    throw NotFound.of("room", roomId);
                }
                store.removeInvite(tx, roomId, member.id());
            }
            store.addMember(tx, roomId, member, clock.instant());
            long version = store.countMemberChange(tx, roomId, +1);
            long userVersion = store.countUserChange(tx, member.id());
            events.memberJoined(tx, roomId, member, version, userVersion);
            return new Changed<>(store.find(tx, roomId).orElseThrow(), userVersion);
        });
    }

    /** Removes the caller from the room; leaving a room one is not in changes nothing. Answers the user version. */
    public long leave(Identity caller, UUID roomId) {
        UUID userId = caller.requireUser();
        return db.inTransaction(tx -> {
            RoomView room = store.lock(tx, roomId).orElseThrow(() -> NotFound.of("room", roomId));
            if (room.direct() && store.isMember(tx, roomId, userId)) {
                throw new InvalidField("room", "a direct room cannot be left: it is always its two users'");
            }
            if (!store.removeMember(tx, roomId, userId)) {
                return store.userVersion(tx, userId);
            }
            long version = store.countMemberChange(tx, roomId, -1);
            long userVersion = store.countUserChange(tx, userId);
            events.memberLeft(tx, roomId, userId, version, userVersion);
            return userVersion;
        });
    }

    /** A room's members: of a private room, for its members only. */
    public MemberPage members(Identity caller, UUID roomId, int limit, String cursor) {
        UUID userId = caller.requireUser();
        UUID after = Cursors.decodeId(cursor);
        return db.withHandle(h -> {
            visible(h, store.find(h, roomId), roomId, userId, false);
            List<UserView> page = store.members(h, roomId, after, limit + 1);
            return page.size() > limit
                    ? new MemberPage(page.subList(0, limit), Cursors.encode(page.get(limit - 1).id()))
                    : new MemberPage(page, null);
        });
    }

    /**
     * A member invites a user into a room: the user may then see and join it (a private room's only way in). Asking
     * again changes nothing; a member already in is not invited. Not a member: 403 (404 for a private room one was
     * not invited into either: it does not exist for them). A direct room takes no one else: 422.
     */
    public void invite(Identity caller, UUID roomId, UUID invitee) {
        UUID inviter = caller.requireUser();
        if (invitee == null) {
            throw new InvalidField("userId", "is required");
        }
        UserView user = users.find(invitee).orElseThrow(() -> NotFound.of("user", invitee));
        db.inTransaction(tx -> {
            RoomView room = visible(tx, store.lock(tx, roomId), roomId, inviter, true);
            if (!store.isMember(tx, roomId, inviter)) {
                throw new babble.platform.problem.Forbidden("only members invite into room " + roomId);
            }
            if (room.direct()) {
                throw new InvalidField("userId", "a direct room has exactly its two users");
            }
            if (!store.isMember(tx, roomId, user.id()) && !store.isInvited(tx, roomId, user.id())) {
                store.invite(tx, roomId, user.id(), inviter, clock.instant());
                events.invited(tx, room, user.id(), member(caller));
            }
            return null;
        });
    }

    /**
     * The direct room of the caller and {@code other}: created with both as members the first time (then 201), the
     * same room every time after, from either side (a direct room cannot be left, so it always has both). Two first
     * calls at once race on the pair's key: the loser runs again and finds the winner's room.
     */
    public Changed<Direct> direct(Identity caller, UUID other) {
        UUID me = caller.requireUser();
        if (other == null) {
            throw new InvalidField("userId", "is required");
        }
        if (other.equals(me)) {
            throw new InvalidField("userId", "a direct room is with someone else");
        }
        UserView them = users.find(other).orElseThrow(() -> NotFound.of("user", other));
        UserView mine = member(caller);
        String key = me.compareTo(other) < 0 ? me + ":" + other : other + ":" + me;
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(tx -> directIn(tx, key, mine, them));
            } catch (RuntimeException e) {
                if (attempt == 5 || !(e instanceof LostRace || babble.platform.db.Sql.isWriteConflict(e))) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt); // the winner's transaction is a few statements: let it commit
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Changed<Direct> directIn(org.jdbi.v3.core.Handle tx, String key, UserView mine, UserView them) {
        var existing = store.lockDirect(tx, key);
        if (existing.isPresent()) {
            return new Changed<>(new Direct(existing.get(), false), store.userVersion(tx, mine.id()));
        }
        var first = mine.id().compareTo(them.id()) < 0 ? mine : them;
        var second = first == mine ? them : mine;
        var room = new RoomView(Ids.newId(), first.username() + ", " + second.username(), null, mine.id(),
                clock.instant(), 2, RoomView.PRIVATE, true);
        if (!store.insert(tx, room, key)) {
            throw new LostRace(); // the other user made it a moment ago: run again to find it
        }
        store.addMember(tx, room.id(), mine, room.createdAt());
        store.addMember(tx, room.id(), them, room.createdAt());
        long firstVersion = store.countUserChange(tx, first.id()); // always in the same order: no deadlock
        long secondVersion = store.countUserChange(tx, second.id());
        events.created(tx, room);
        events.memberJoined(tx, room.id(), first, 1, firstVersion);
        events.memberJoined(tx, room.id(), second, 2, secondVersion);
        events.directOpened(tx, room, them.id(), mine);
        return new Changed<>(new Direct(room, true), first == mine ? firstVersion : secondVersion);
    }

    /** Another transaction made the same direct room first. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("lost the race to make a direct room", null, false, false);
        }
    }

    /** A direct room, and whether this call created it. */
    public record Direct(RoomView room, boolean created) {
    }

    /** Whether a user is in a room now, with the room's and the user's membership versions (one snapshot). */
    public Membership membership(UUID roomId, UUID userId) {
        return db.withHandle(h -> store.membership(h, roomId, userId)).orElseThrow(() -> NotFound.of("room", roomId));
    }

    /** Whether the user may write in the room (a member) and moderate it (its owner), now; 404 for an unknown room. */
    public RoomAccess access(UUID roomId, UUID userId) {
        return db.withHandle(h -> store.access(h, roomId, userId)).orElseThrow(() -> NotFound.of("room", roomId));
    }

    /** How many membership changes the user has made: what a caller that lost track of it starts from. */
    public long userVersion(UUID userId) {
        return db.withHandle(h -> store.userVersion(h, userId));
    }

    public List<RoomView> roomsOf(UUID userId) {
        return db.withHandle(h -> store.roomsOf(h, userId, MAX_ROOMS_OF_A_USER));
    }

    private static UserView member(Identity caller) {
        String name = caller.displayName() == null ? caller.username() : caller.displayName();
        return new UserView(caller.userId(), caller.username(), name);
    }

    /** Trims and checks a text field: required or optional, at most {@code max} characters, no control characters. */
    private static String text(String field, String value, int max, boolean required) {
        if (value == null) {
            if (required) {
                throw new InvalidField(field, "is required");
            }
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            if (required) {
                throw new InvalidField(field, "must not be blank");
            }
            return null;
        }
        if (trimmed.codePointCount(0, trimmed.length()) > max) {
            throw new InvalidField(field, "must be at most " + max + " characters");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidField(field, "must not contain control characters");
        }
        return trimmed;
    }
}
