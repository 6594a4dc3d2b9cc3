package babble.follows.store;

import babble.contracts.api.UserView;
import babble.platform.db.Sql;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for this service's copy of user profiles. */
public final class UserStore {

    public Optional<UserView> find(Handle h, UUID id) {
        return h.createQuery("select id, username, display_name from users where id = :id").bind("id", id)
                .map((rs, ctx) -> new UserView(Sql.uuid(rs, "id"), rs.getString("username"), rs.getString("display_name")))
                .findOne();
    }

    /** Records (or refreshes) a user's profile. */
    public void remember(Handle tx, UserView user) {
        int inserted = tx.createUpdate("""
                insert into users (id, username, display_name) values (:id, :username, :displayName)
                on conflict do nothing""")
                .bind("id", user.id()).bind("username", user.username()).bind("displayName", user.displayName()).execute();
        if (inserted == 0) {
            tx.createUpdate("update users set username = :username, display_name = :displayName where id = :id")
                    .bind("id", user.id()).bind("username", user.username()).bind("displayName", user.displayName()).execute();
        }
    }
}
