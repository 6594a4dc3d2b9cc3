package babble.bench;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections PostgreSQL holds open to a deployment's databases, counted by the server (pg_stat_activity). */
public final class PgConnections {
    private PgConnections() {
    }

    /** Connections to databases whose names match the LIKE pattern {@code databases}, this query's own excepted. */
    public static int count(String host, int port, String databases) {
        var props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "");
        try (var c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", props);
             var query = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE ?")) {
            query.setString(1, databases);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count PostgreSQL's connections: " + e.getMessage(), e);
        }
    }
}
