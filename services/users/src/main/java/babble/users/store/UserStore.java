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

    public List<User> findAll(Handle h, Collection<UUID> ids) {
        return h.createQuery("select * from users where id in (<ids>)").bindList("ids", List.copyOf(ids))
                .map(USER).list();
    }
}
