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

/** The rules of rooms: anyone signed in may create, list, join and leave; a creator starts as a member. */
public final class Rooms {
    private static final int MAX_NAME = 64;
    private static final int MAX_TOPIC = 256;
    private static final int MAX_ROOMS_OF_A_USER = 5_000;

    private final Database db;
    private final RoomStore store;
    private final RoomEvents events;
    private final Clock clock;

    public Rooms(Database db, RoomStore store, RoomEvents events, Clock clock) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** A room's state after a membership change of the caller, and the caller's membership version after it. */
    public record Changed<T>(T value, long userVersion) {
    }

    public Changed<RoomView> create(Identity caller, String name, String topic) {
        UUID creator = caller.requireUser();
        String validName = text("name", name, MAX_NAME, true);
        String validTopic = text("topic", topic, MAX_TOPIC, false);
        var room = new RoomView(Ids.newId(), validName, validTopic, creator, clock.instant(), 1);
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

    public RoomView get(UUID roomId) {
        return db.withHandle(h -> store.find(h, roomId)).orElseThrow(() -> NotFound.of("room", roomId));
    }

    /** Makes the caller a member; joining a room one is already in changes nothing. */
    public Changed<RoomView> join(Identity caller, UUID roomId) {
        caller.requireUser();
        UserView member = member(caller);
        return db.inTransaction(tx -> {
            RoomView room = store.lock(tx, roomId).orElseThrow(() -> NotFound.of("room", roomId));
            if (store.isMember(tx, roomId, member.id())) {
                return new Changed<>(room, store.userVersion(tx, member.id()));
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
            store.lock(tx, roomId).orElseThrow(() -> NotFound.of("room", roomId));
            if (!store.removeMember(tx, roomId, userId)) {
                return store.userVersion(tx, userId);
            }
            long version = store.countMemberChange(tx, roomId, -1);
            long userVersion = store.countUserChange(tx, userId);
            events.memberLeft(tx, roomId, userId, version, userVersion);
            return userVersion;
        });
    }

    public MemberPage members(UUID roomId, int limit, String cursor) {
        UUID after = Cursors.decodeId(cursor);
        return db.withHandle(h -> {
            store.find(h, roomId).orElseThrow(() -> NotFound.of("room", roomId));
            List<UserView> page = store.members(h, roomId, after, limit + 1);
            return page.size() > limit
                    ? new MemberPage(page.subList(0, limit), Cursors.encode(page.get(limit - 1).id()))
                    : new MemberPage(page, null);
        });
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
