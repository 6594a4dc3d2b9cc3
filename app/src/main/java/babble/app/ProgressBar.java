package babble.app;

import java.time.Duration;
import java.util.Locale;

/**
 * The text {@code babble export} and {@code babble import} show while a job runs: a bar, a percentage, counts and the
 * time so far, e.g. {@code exporting general  [##########..........]  52%  5,200/10,000 messages  1.2 s}; and the
 * sizes of their summaries. Only text: where and how often it is drawn is {@link JobWatch}'s business.
 */
final class ProgressBar {
    static final int WIDTH = 20;
    private static final int MAX_LABEL = 24;

    private ProgressBar() {
    }

    /**
     * {@code [####......]}: {@code width} cells, filled in proportion to done of total (rounded down, so full only
     * when done). A total of 0 counts as done (an empty room). An unknown total (null) shows a block of three that
     * moves back and forth with {@code tick}, since there is nothing to fill.
     */
    static String bar(long done, Long total, int width, long tick) {
        var cells = new StringBuilder(width + 2).append('[');
        if (total == null) {
            int block = Math.min(3, width);
            int span = width - block;
            int at = 0;
            if (span > 0) {
                long k = Math.floorMod(tick, 2L * span);
                at = (int) (k <= span ? k : 2L * span - k);
            }
            cells.append(".".repeat(at)).append("#".repeat(block)).append(".".repeat(width - block - at));
        } else {
            int filled = total <= 0 ? width : (int) Math.min(width, Math.max(0, done) * (long) width / total);
            cells.append("#".repeat(filled)).append(".".repeat(width - filled));
        }
        return cells.append(']').toString();
    }

    /** Whole percent, rounded down: 100 only when done reaches total (a total of 0 is done). */
    static int percent(long done, long total) {
        if (total <= 0 || done >= total) {
            return 100;
        }
        return (int) Math.max(0, done * 100 / total);
    }

    /**
     * The line for a job in {@code status} (queued, running, ...) on its {@code attempts}-th attempt: queued shows
     * no counts yet; attempts past the first are shown, so a retry is visible.
     */
    static String line(String label, String status, long done, Long total, int attempts, Duration elapsed, long tick) {
        return line("exporting", label, "messages", status, done, total, attempts, elapsed, tick);
    }

    /** The same for any job: {@code importing general  [###.....]  37%  3,700/10,000 lines  2.1 s}. */
    static String line(String verb, String label, String unit, String status, long done, Long total, int attempts,
                       Duration elapsed, long tick) {
        var line = new StringBuilder(verb).append(' ').append(shorten(label)).append("  ");
        if (status.equals("queued") && done == 0) {
            line.append(bar(0, 1L, WIDTH, tick)).append("  queued");
        } else {
            line.append(bar(done, total, WIDTH, tick)).append("  ");
            if (total == null) {
                line.append(count(done)).append(' ').append(unit);
            } else {
                line.append(String.format(Locale.ROOT, "%3d%%", percent(done, total))).append("  ")
                        .append(count(done)).append('/').append(count(total)).append(' ').append(unit);
            }
        }
        line.append("  ").append(seconds(elapsed));
        if (attempts > 1) {
            line.append("  attempt ").append(attempts);
        }
        return line.toString();
    }

    /** Bytes sent so far: {@code uploading posts.jsonl  [########............]   40%  2.0 MiB of 5.1 MiB  1.2 s}. */
    static String transfer(String verb, String label, long done, long total, Duration elapsed) {
        return verb + ' ' + shorten(label) + "  " + bar(done, total, WIDTH, 0) + "  "
                + String.format(Locale.ROOT, "%3d%%", percent(done, total)) + "  " + bytes(done) + " of " + bytes(total)
                + "  " + seconds(elapsed);
    }

    /** A count with thousands separators: {@code 10,000}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A size for people: {@code 512 B}, {@code 44.3 KiB}, {@code 1.2 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        do {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code 1.2 s}. */
    static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
    }

    /** A long room name cut to fit the line: {@code a-very-long-room-nam...}. */
    static String shorten(String label) {
        return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 3) + "...";
    }
}
