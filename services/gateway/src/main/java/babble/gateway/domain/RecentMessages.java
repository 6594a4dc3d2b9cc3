package babble.gateway.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The last few message frames of a room, by seq, so a client that reconnects after a short drop is caught up
 * from memory. Holds a contiguous run of seqs; a jump starts the run again. Used by one thread only.
 */
final class RecentMessages {
    private final String[] frames;
    private long first = -1; // seq of the oldest frame held, -1 when empty
    private long last = -1;

    RecentMessages(int capacity) {
        this.frames = new String[capacity];
    }

    void add(long seq, String frame) {
        if (last >= 0 && seq != last + 1) {
            first = -1; // not contiguous: start over
        }
        if (first < 0) {
            first = seq;
        }
        last = seq;
        frames[(int) (seq % frames.length)] = frame;
        if (last - first + 1 > frames.length) {
            first = last - frames.length + 1;
        }
    }

    /** The frames after {@code afterSeq} up to {@code upTo}, if all of them are held; otherwise null. */
    List<String> after(long afterSeq, long upTo) {
        if (first < 0 || last != upTo || afterSeq < first - 1 || afterSeq > last) {
            return null;
        }
        var out = new ArrayList<String>((int) (last - afterSeq));
        for (long seq = afterSeq + 1; seq <= last; seq++) {
            out.add(frames[(int) (seq % frames.length)]);
        }
        return out;
    }
}
