package babble.counter.domain;

/** Counts visits atomically: in the embedded store, or with Redis INCR in production. */
public interface VisitCounter {
    /** Counts one visit and returns the total, this one included. */
    long increment();
}
