package babble.users.store;

import babble.platform.db.Database;
import babble.platform.db.Sql;
import babble.users.domain.Session;
import babble.users.domain.SessionStore;
import java.time.Instant;
import java.util.Optional;

/** Sessions in the users database (the embedded default). */
public final class DbSessionStore implements SessionStore {
    private final Database db;

    public DbSessionStore(Database db) {
        this.db = db;
    }

    @Override
    public void save(Session session) {
        db.useTransaction(tx -> tx.createUpdate("""
                        insert into sessions (token_hash, user_id, created_at, expires_at)
                        values (:hash, :userId, :createdAt, :expiresAt)""")
                .bind("hash", session.tokenHash())
                .bind("userId", session.userId())
                .bind("createdAt", Sql.utc(session.createdAt()))
                .bind("expiresAt", Sql.utc(session.expiresAt()))
                .execute());
    }

    @Override
    public Optional<Session> find(String tokenHash) {
        return db.withHandle(h -> h.createQuery("select * from sessions where token_hash = :hash and expires_at > :now")
                .bind("hash", tokenHash)
                .bind("now", Sql.utc(Instant.now()))
                .map((rs, ctx) -> new Session(rs.getString("token_hash"), Sql.uuid(rs, "user_id"),
                        Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at")))
                .findOne());
    }

    @Override
    public boolean delete(String tokenHash) {
        return db.withHandle(h -> h.createUpdate("delete from sessions where token_hash = :hash")
                .bind("hash", tokenHash).execute()) > 0;
    }

    @Override
    public void deleteExpired() {
        db.withHandle(h -> h.createUpdate("delete from sessions where expires_at <= :now")
                .bind("now", Sql.utc(Instant.now())).execute());
    }
}
