package babble.search.domain;

import babble.contracts.events.MemberJoined;
import babble.contracts.events.MemberLeft;
import babble.platform.bus.Event;
import babble.platform.identity.Identity;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * The rooms a searching user is in, whose chat messages they may find: asked of the rooms service and kept a
 * minute. A kept answer is used only if it was fetched for a membership version at least the caller's own (the
 * signed identity names the caller's latest join or leave), so a user's join or leave counts on their very next
 * search; membership events drop a user's answer early, for callers whose identity names no version.
 */
public final class Memberships {
    /** Where the rooms of a user are read now. */
    public interface RoomDirectory {
        Set<UUID> roomsOf(UUID userId);
    }

    private record Known(long version, Set<UUID> rooms) {
    }

    private final RoomDirectory directory;
    private final Cache<UUID, Known> known;

    public Memberships(RoomDirectory directory, Duration keep, long maxUsers) {
        this.directory = directory;
        this.known = Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(maxUsers).build();
    }

    public Set<UUID> roomsOf(Identity caller) {
        UUID userId = caller.requireUser();
        long version = caller.membershipVersion();
        Known kept = known.getIfPresent(userId);
        if (kept != null && kept.version() >= version) {
            return kept.rooms();
        }
        // Fetched outside the cache's lock (an HTTP call must not hold it); of two answers, the newer version stays.
        Set<UUID> rooms = Set.copyOf(directory.roomsOf(userId));
        known.asMap().merge(userId, new Known(version, rooms), (old, fresh) -> old.version() > fresh.version() ? old : fresh);
        return rooms;
    }

    /** Drops what is kept of a user whose membership changed (from the room stream's live events). */
    public void onRoomEvent(Event event) {
        switch (event.type()) {
            case MemberJoined.TYPE -> known.invalidate(event.dataAs(MemberJoined.class).user().id());
            case MemberLeft.TYPE -> known.invalidate(event.dataAs(MemberLeft.class).userId());
            default -> {
                // room creation changes no one's rooms but the creator's, whose join event follows
            }
        }
    }
}
