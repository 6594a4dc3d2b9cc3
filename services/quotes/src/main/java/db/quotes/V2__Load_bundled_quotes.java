package db.quotes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Loads the bundled quotes (quotes/fortunes.tsv: author, text, collection) once, in one transaction. */
public class V2__Load_bundled_quotes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        var resource = Objects.requireNonNull(getClass().getResourceAsStream("/quotes/fortunes.tsv"),
                "quotes/fortunes.tsv is missing from the classpath");
        try (var reader = new BufferedReader(new InputStreamReader(resource, StandardCharsets.UTF_8));
             var insert = context.getConnection().prepareStatement(
                     "insert into quotes (id, author, text, collection) values (?, ?, ?, ?)")) {
            int id = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                String[] fields = line.split("\t", -1);
                if (fields.length != 3) {
                    throw new IllegalStateException("quotes/fortunes.tsv line " + (id + 1) + " does not have 3 fields");
                }
                insert.setInt(1, ++id);
                insert.setString(2, fields[0]);
                insert.setString(3, fields[1]);
                insert.setString(4, fields[2]);
                insert.addBatch();
                if (id % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
