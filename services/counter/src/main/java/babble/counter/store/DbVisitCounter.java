package babble.counter.store;

import babble.counter.domain.VisitCounter;
import babble.platform.db.Database;

/** Visits in the service's database: an update under the row's lock, so concurrent writers all count. */
public final class DbVisitCounter implements VisitCounter {
    private final Database db;

    public DbVisitCounter(Database db) {
        this.db = db;
    }

    @Override
    public long add(int visits) {
        return db.inTransaction(tx -> {
            tx.createUpdate("update counters set total = total + :visits where name = 'visits'")
                    .bind("visits", visits).execute();
            return tx.createQuery("select total from counters where name = 'visits'").mapTo(Long.class).one();
        });
    }
}
