package babble.users.store;

import babble.platform.db.Sql;
import babble.users.domain.User;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for accounts. */
public final class UserStore {
    private static final RowMapper<User> USER = (rs, ctx) -> new User(
            Sql.uuid(rs, "id"), rs.getString("username"), rs.getString("display_name"), rs.getString("password_hash"),
            Sql.instant(rs, "created_at"));

    public void insert(Handle tx, User user) {
        tx.createUpdate("""
                insert into users (id, username, display_name, password_hash, created_at)
                values (:id, :username, :displayName, :passwordHash, :createdAt)""")
                .bind("id", user.id())
                .bind("username", user.username())
                .bind("displayName", user.displayName())
                .bind("passwordHash", user.passwordHash())
                .bind("createdAt", Sql.utc(user.createdAt()))
                .execute();
    }

    public Optional<User> find(Handle h, UUID id) {
        return h.createQuery("select * from users where id = :id").bind("id", id).map(USER).findOne();
    }

    public Optional<User> findByUsername(Handle h, String username) {
        return h.createQuery("select * from users where username = :username").bind("username", username)
                .map(USER).findOne();
    }

    /**
     * Usernames starting with {@code prefix}, after {@code after} (null: from the first). Only the username alphabet
     * comes here; its '_' is LIKE's one-character wildcard, so it is escaped. An index serves it on H2, and on
     * PostgreSQL whatever the database's collation (V2).
     */
    public List<User> withUsernamePrefix(Handle h, String prefix, String after, int limit) {
        // '!' escapes: a backslash in a quoted literal would be read as an escape by Jdbi's statement parser.
        var query = h.createQuery("select * from users where username like :pattern escape '!'"
                        + (after == null ? "" : " and username > :after") + " order by username limit :limit")
                .bind("pattern", prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%")
                .bind("limit", limit);
        if (after != null) {
            query.bind("after", after);
        }
        return query.map(USER).list();
    }

    public List<User> findAll(Handle h, Collection<UUID> ids) {
        return h.createQuery("select * from users where id in (<ids>)").bindList("ids", List.copyOf(ids))
                .map(USER).list();
    }
}
