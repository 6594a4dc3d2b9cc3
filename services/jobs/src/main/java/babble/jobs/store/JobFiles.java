package babble.jobs.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where jobs keep files: exports they write and uploads they read. A directory every jobs process sees (the
 * data directory on one machine; a shared volume on Kubernetes). A run writes a file of its own epoch, so a
 * worker that lost its lease but still runs never touches the file its successor writes.
 */
public final class JobFiles {
    private static final Pattern NAME = Pattern.compile("[0-9a-f-]{36}\\.[0-9]+\\.[a-z]+");

    private final Path dir;

    public JobFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the jobs' file directory " + dir, e);
        }
    }

    /** The file a run of {@code jobId} at {@code epoch} writes. */
    public String name(UUID jobId, long epoch, String extension) {
        return jobId + "." + epoch + "." + extension;
    }

    /** A file by the name a job recorded; never outside the directory. */
    public Path path(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a job file name: " + name);
        }
        return dir.resolve(name);
    }

    /**
     * Opens the file this run writes, holding the first {@code length} bytes of the previous run's file (its last
     * checkpoint): whatever that run wrote after its checkpoint is dropped, so nothing is written twice.
     */
    public FileChannel openForRun(String name, String previous, long length) throws IOException {
        Path target = path(name);
        var channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        if (previous != null && length > 0) {
            try (var from = FileChannel.open(path(previous), StandardOpenOption.READ)) {
                long copied = 0;
                while (copied < length) {
                    long n = from.transferTo(copied, length - copied, channel);
                    if (n <= 0) {
                        throw new IOException("the checkpointed file " + previous + " is shorter than " + length + " bytes");
                    }
                    copied += n;
                }
            }
        }
        channel.position(length);
        return channel;
    }

    /** The file an upload's parts are written to (and an import reads). */
    public String uploadName(UUID uploadId) {
        return uploadId + ".0.upload";
    }

    /**
     * Writes what {@code in} holds at {@code offset} of the file (created if missing) and cuts the file there: a
     * part sent again replaces itself and anything after it. Reads at most {@code limit + 1} bytes and answers how
     * many it wrote, so a caller sees a part that is too large without taking it whole.
     */
    public long writeAt(String name, long offset, InputStream in, long limit) throws IOException {
        try (var out = FileChannel.open(path(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            var buffer = new byte[64 * 1024];
            long written = 0;
            out.position(offset);
            while (written <= limit) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - written));
                if (n < 0) {
                    break;
                }
                var chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                written += n;
            }
            out.truncate(offset + written);
            return written;
        }
    }

    /** Forces a file's bytes to disk (an upload, before a job relies on it). */
    public void force(String name) throws IOException {
        try (var channel = FileChannel.open(path(name), StandardOpenOption.WRITE)) {
            channel.force(false);
        }
    }

    public void delete(String name) {
        deleteQuietly(path(name));
    }

    /** Deletes the other runs' files of a job, once one run finished it. */
    public void deleteOtherRuns(UUID jobId, String keep) {
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(jobId + ".") && !p.getFileName().toString().equals(keep))
                    .forEach(JobFiles::deleteQuietly);
        } catch (IOException e) {
            // best effort: the expiry sweep removes leftovers
        }
    }

    /**
     * Deletes job files older than {@code age}; returns how many. Only files named as job files: the directory may
     * hold others (in all-in-one, the jobs service's own database lives beside them).
     */
    public int deleteOlderThan(Duration age) {
        Instant before = Instant.now().minus(age);
        try (var files = Files.list(dir)) {
            return (int) files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).filter(p -> {
                try {
                    return Files.getLastModifiedTime(p).toInstant().isBefore(before);
                } catch (IOException e) {
                    return false;
                }
            }).peek(JobFiles::deleteQuietly).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // gone already, or busy: the next sweep tries again
        }
    }
}
