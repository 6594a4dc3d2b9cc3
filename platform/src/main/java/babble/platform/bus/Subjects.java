package babble.platform.bus;

/** NATS subject matching: words separated by dots, {@code *} matches one word, a final {@code >} one or more. */
public final class Subjects {
    private Subjects() {
    }

    public static boolean matches(String filter, String subject) {
        int f = 0;
        int s = 0;
        while (f < filter.length()) {
            int fEnd = end(filter, f);
            String word = filter.substring(f, fEnd);
            if (word.equals(">")) {
                return s < subject.length();
            }
            if (s >= subject.length()) {
                return false;
            }
            int sEnd = end(subject, s);
            if (!word.equals("*") && !subject.regionMatches(s, word, 0, word.length()) || !word.equals("*") && sEnd - s != word.length()) {
                return false;
            }
            f = fEnd + 1;
            s = sEnd + 1;
        }
        return s >= subject.length();
    }

    /** The single stream a filter reads from, or null when it spans streams ({@code events.>}). */
    public static String streamOf(String filter) {
        if (!filter.startsWith(Event.SUBJECT_PREFIX)) {
            return null;
        }
        String stream = Event.streamOf(filter);
        return stream.equals("*") || stream.equals(">") ? null : stream;
    }

    private static int end(String text, int from) {
        int dot = text.indexOf('.', from);
        return dot < 0 ? text.length() : dot;
    }
}
