package babble.platform.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Conversions between Java values and the portable column types Babble uses (uuid, timestamp with time zone). */
public final class Sql {
    private Sql() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    /** Binds a UUID that may be null (a bare null goes out as text, which PostgreSQL refuses for a uuid column). */
    public static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindUuid(S statement, String name, UUID value) {
        return value == null ? statement.bindNull(name, java.sql.Types.OTHER) : statement.bind(name, value);
    }

    /** True when the failure is a unique-key violation (SQLState 23505 on both H2 and PostgreSQL). */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the transaction lost a race with another and may simply be run again: a unique-key violation, H2's
     * concurrent update of a row or key (90131), PostgreSQL's serialization failure (40001) or deadlock (40P01).
     */
    public static boolean isWriteConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && java.util.Set.of("23505", "90131", "40001", "40P01").contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the failure means the database could not be reached or is going away: connection errors (class
     * 08), the server shutting down or starting (57P01-57P03), or no pooled connection in time.
     */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof org.jdbi.v3.core.ConnectionException) {
                return true;
            }
        }
        return false;
    }
}
