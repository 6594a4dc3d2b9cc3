package babble.jobs.kinds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads a file line by line from a byte offset up to an end, knowing the offset after each line (where a resumed
 * run starts), through one small buffer: a file of any size takes a line's worth of memory. A line longer than the
 * limit is reported as such and its bytes are passed over, never held.
 */
final class LineReader {
    /** One line, without its {@code \n} (nor a {@code \r} before it); valid until the next call. */
    record Line(byte[] bytes, int length, boolean tooLong, long end) {
    }

    private final FileChannel file;
    private final long end;
    private final int maxLine;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long position;
    private byte[] line = new byte[8 * 1024];

    LineReader(FileChannel file, long from, long end, int maxLine) {
        this.file = file;
        this.position = from;
        this.end = end;
        this.maxLine = maxLine;
        buffer.limit(0);
    }

    /** The offset just after the last line read. */
    long offset() {
        return position;
    }

    /** The next line, or null at the end. */
    Line next() throws IOException {
        if (position >= end && !buffer.hasRemaining()) {
            return null;
        }
        int length = 0;
        boolean tooLong = false;
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                return length == 0 && !tooLong ? null : line(length, tooLong); // a last line without a newline
            }
            byte[] bytes = buffer.array();
            int from = buffer.position();
            int newline = from;
            while (newline < buffer.limit() && bytes[newline] != '\n') {
                newline++;
            }
            int run = newline - from;
            if (!tooLong && length + run <= maxLine) {
                if (length + run > line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, length + run)));
                }
                System.arraycopy(bytes, from, line, length, run);
                length += run;
            } else {
                tooLong = true;
            }
            position += run;
            if (newline < buffer.limit()) {
                buffer.position(newline + 1);
                position++;
                return line(length, tooLong);
            }
            buffer.position(newline);
        }
    }

    private Line line(int length, boolean tooLong) {
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return new Line(line, tooLong ? 0 : length, tooLong, position);
    }

    /** Reads the next bytes (never past the end); false when there are none. */
    private boolean fill() throws IOException {
        long readAt = position;
        long left = end - readAt;
        if (left <= 0) {
            return false;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), left));
        int n;
        do {
            n = file.read(buffer, readAt + buffer.position());
        } while (n == 0);
        buffer.flip();
        return n > 0 || buffer.hasRemaining();
    }

    /** How many lines the first {@code end} bytes of a file hold (a last line without a newline counts). */
    static long count(InputStream in, long end) throws IOException {
        var bytes = new byte[64 * 1024];
        long lines = 0;
        long read = 0;
        byte last = '\n';
        while (read < end) {
            int n = in.read(bytes, 0, (int) Math.min(bytes.length, end - read));
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    lines++;
                }
            }
            last = bytes[n - 1];
            read += n;
        }
        return last == '\n' ? lines : lines + 1;
    }
}
