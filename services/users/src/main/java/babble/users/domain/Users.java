package babble.users.domain;

import babble.contracts.api.SessionView;
import babble.contracts.api.UserPage;
import babble.contracts.api.UserView;
import babble.contracts.internal.VerifiedSession;
import babble.platform.Ids;
import babble.platform.db.Database;
import babble.platform.db.Sql;
import babble.platform.problem.Conflict;
import babble.platform.problem.InvalidField;
import babble.platform.problem.NotFound;
import babble.platform.problem.Unauthorized;
import babble.users.events.UserEvents;
import babble.users.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** The rules of accounts and sessions: who may register with what, how one signs in and out. */
public final class Users {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}");
    private static final Pattern USERNAME_PREFIX = Pattern.compile("[a-z0-9_.-]{1,32}");
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 256;
    private static final int MAX_DISPLAY_NAME = 64;

    private final Database db;
    private final UserStore store;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final UserEvents events;
    private final Clock clock;
    private final Duration sessionTtl;

    public Users(Database db, UserStore store, SessionStore sessions, PasswordHasher hasher, UserEvents events,
                 Clock clock, Duration sessionTtl) {
        this.db = db;
        this.store = store;
        this.sessions = sessions;
        this.hasher = hasher;
        this.events = events;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
    }

    public UserView register(String username, String password, String displayName) {
        validateUsername(username);
        if (password == null) {
            throw new InvalidField("password", "is required");
        }
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new InvalidField("password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        String shownName = displayName(displayName, username);
        if (db.withHandle(h -> store.findByUsername(h, username)).isPresent()) {
            throw new Conflict("the username " + username + " is taken");
        }
        var user = new User(Ids.newId(), username, shownName, hasher.hash(password), clock.instant());
        try {
            db.useTransaction(tx -> {
                store.insert(tx, user);
                events.registered(tx, user.view());
            });
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new Conflict("the username " + username + " is taken");
            }
            throw e;
        }
        return user.view();
    }

    public SessionView login(String username, String password) {
        if (username == null || password == null) {
            throw new Unauthorized("wrong username or password");
        }
        var user = db.withHandle(h -> store.findByUsername(h, username));
        if (user.isEmpty()) {
            hasher.burnTimeOfACheck(password);
            throw new Unauthorized("wrong username or password");
        }
        if (!hasher.matches(password, user.get().passwordHash())) {
            throw new Unauthorized("wrong username or password");
        }
        String token = Tokens.newToken();
        Instant now = clock.instant();
        var session = new Session(Tokens.hash(token), user.get().id(), now, now.plus(sessionTtl));
        sessions.save(session);
        return new SessionView(token, user.get().view(), session.expiresAt());
    }

    /** Ends the session of {@code token}; every gateway forgets it (through the session.revoked event). */
    public void logout(String token) {
        String hash = Tokens.hash(token);
        var session = sessions.find(hash).orElseThrow(() -> new Unauthorized("the token is not valid"));
        sessions.delete(hash);
        db.useTransaction(tx -> events.sessionRevoked(tx, hash, session.userId()));
    }

    public VerifiedSession verify(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            throw new Unauthorized("the token is not valid");
        }
        String hash = Tokens.hash(token);
        Session session = sessions.find(hash)
                .filter(s -> s.expiresAt().isAfter(clock.instant()))
                .orElseThrow(() -> new Unauthorized("the token is not valid or has expired"));
        User user = db.withHandle(h -> store.find(h, session.userId()))
                .orElseThrow(() -> new Unauthorized("the token's user no longer exists"));
        return new VerifiedSession(user.view(), session.expiresAt(), hash);
    }

    public UserView find(UUID id) {
        return db.withHandle(h -> store.find(h, id)).map(User::view).orElseThrow(() -> NotFound.of("user", id));
    }

    public List<UserView> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.withHandle(h -> store.findAll(h, ids)).stream().map(User::view).toList();
    }

    /**
     * One page of the users whose username starts with {@code prefix} (any case; usernames are lower case), in
     * username order, after the username {@code cursor} names (null: from the first): how someone not met in a room
     * is found, to message or invite. The next page's cursor is the page's last username, or null after the last.
     */
    public UserPage withUsernamePrefix(String prefix, String cursor, int limit) {
        String lower = prefix == null ? "" : prefix.strip().toLowerCase(java.util.Locale.ROOT);
        if (!USERNAME_PREFIX.matcher(lower).matches()) {
            throw new InvalidField("prefix", "must be 1 to 32 characters of a-z, 0-9, '_', '.' and '-'");
        }
        if (cursor != null && !USERNAME.matcher(cursor).matches()) {
            throw new InvalidField("cursor", "must be the next value of an earlier page");
        }
        var users = db.withHandle(h -> store.withUsernamePrefix(h, lower, cursor, limit + 1));
        boolean more = users.size() > limit;
        var page = users.stream().limit(limit).map(User::view).toList();
        return new UserPage(page, more ? page.getLast().username() : null);
    }

    /**
     * The system user named {@code username} (such as the bot), created on first call with no password, so it
     * cannot sign in. Calling again returns the same user.
     */
    public UserView systemUser(String username, String displayName) {
        validateUsername(username);
        var existing = db.withHandle(h -> store.findByUsername(h, username));
        if (existing.isPresent()) {
            return existing.get().view();
        }
        var user = new User(Ids.newId(), username, displayName(displayName, username), null, clock.instant());
        try {
            db.useTransaction(tx -> {
                store.insert(tx, user);
                events.registered(tx, user.view());
            });
            return user.view();
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                return db.withHandle(h -> store.findByUsername(h, username)).orElseThrow().view();
            }
            throw e;
        }
    }

    private static void validateUsername(String username) {
        if (username == null) {
            throw new InvalidField("username", "is required");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw new InvalidField("username", "must be 3 to 32 characters of a-z, 0-9, '_', '.' and '-'");
        }
    }

    private static String displayName(String given, String username) {
        if (given == null) {
            return username;
        }
        String trimmed = given.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > MAX_DISPLAY_NAME) {
            throw new InvalidField("displayName", "must be 1 to " + MAX_DISPLAY_NAME + " characters");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidField("displayName", "must not contain control characters");
        }
        return trimmed;
    }
}
