package babble.counter.domain;

/** Where visits are counted: the embedded store, or Redis in production. Atomic across every counter instance. */
public interface VisitCounter {
    /** Adds {@code visits} visits and returns the total, these included. */
    long add(int visits);
}
