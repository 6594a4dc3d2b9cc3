package babble.jobs.kinds;

import babble.contracts.api.ImportResult;
import babble.contracts.api.ImportResult.ImportError;
import babble.contracts.api.SubmitJobRequest;
import babble.contracts.internal.ImportedPost;
import babble.contracts.internal.PostImportResult;
import babble.jobs.domain.ImportInput;
import babble.jobs.domain.JobKind;
import babble.jobs.domain.JobRun;
import babble.platform.identity.Identity;
import babble.platform.json.Json;
import babble.platform.problem.InvalidField;
import babble.platform.problem.RemoteProblem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code import-posts}: an uploaded file of seed 004's reddit data, read line by line (a file of any size takes a
 * batch's worth of memory), written to the room in batches through the posts service, a checkpoint after each.
 * A bad line is skipped with its reason, never the end of the import.
 *
 * <p>Counts stay exact when a worker dies: a checkpoint records the offset in the file and the counts up to it;
 * a resumed run reads on from there, and sends again the batch the dead run may have written without recording it.
 * Batches end where the file's content says (so many posts, lines or bytes), never by time, so that batch starts
 * at the same offset and carries the same import id (made from the job and that offset): the posts service counts
 * its posts as created by it, and a key seen earlier in the same file as already there.
 */
public final class ImportPosts implements JobKind {
    public static final String NAME = ImportInput.KIND;
    static final int MAX_ERRORS = 100;
    static final int MAX_LINE = 1024 * 1024;
    static final int BATCH_BYTES = 1024 * 1024;
    /** A batch also ends after this many lines per post of its size, so skipped lines make progress too. */
    static final int LINES_PER_POST = 4;
    private static final Pattern POST_INDEX = Pattern.compile("^posts\\[(\\d+)]");

    private final PostsWriter posts;
    private final int batchSize;
    private final int rate;
    private final Clock clock;

    /**
     * {@code batchSize}: posts per batch; {@code rate}: at most this many posts a second per import (0: as fast as
     * the posts service takes them).
     */
    public ImportPosts(PostsWriter posts, int batchSize, int rate, Clock clock) {
        this.posts = posts;
        this.batchSize = batchSize;
        this.rate = rate;
        this.clock = clock;
    }

    /**
     * Where a run stopped: lines read and the offset after them, what became of them, the file's line count, and
     * the batch size (kept, so a resumed run ends its batches where the first one did).
     */
    record Checkpoint(long lines, long offset, long imported, long existing, long skipped, List<ImportError> errors,
                      long total, int batchSize) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> accept(Identity caller, SubmitJobRequest request) {
        throw new InvalidField("kind", "an import starts with its file: POST /api/v1/rooms/{id}/imports?format=reddit");
    }

    @Override
    public Map<String, Object> run(JobRun run) throws IOException, InterruptedException {
        ImportInput input = Json.convert(run.params(), ImportInput.class);
        Path file = run.files().path(input.file());
        if (!Files.exists(file)) {
            throw new PermanentFailure("the uploaded file is gone (uploads are kept until their import ends)");
        }
        Checkpoint from = run.checkpoint() == null ? firstCheckpoint(run, file, input)
                : Json.convert(run.checkpoint(), Checkpoint.class);
        var progress = new Progress(from);
        int size = progress.batchSize;
        var owner = Identity.ofUser("jobs", run.job().ownerId(), input.username(), null);
        Instant began = clock.instant();
        long writtenThisRun = 0;
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var reader = new LineReader(channel, from.offset(), input.bytes(), MAX_LINE);
            var batch = new Batch();
            LineReader.Line line;
            while ((line = reader.next()) != null) {
                long number = ++progress.lines;
                batch.lines++;
                if (line.tooLong()) {
                    progress.skip(number, "the line is longer than " + MAX_LINE + " bytes");
                } else if (!RedditPosts.isBlank(line.bytes(), line.length())) {
                    var mapped = RedditPosts.map(line.bytes(), line.length());
                    if (mapped.post() != null) {
                        batch.add(mapped.post(), number, line.length());
                    } else {
                        progress.skip(number, mapped.skipped());
                    }
                }
                if (batch.posts.size() >= size || batch.bytes >= BATCH_BYTES || batch.lines >= (long) size * LINES_PER_POST) {
                    writtenThisRun += write(run, input, owner, batch, progress, reader.offset());
                    pace(began, writtenThisRun);
                }
            }
            if (batch.lines > 0) {
                write(run, input, owner, batch, progress, reader.offset());
            }
        }
        var result = new ImportResult(progress.imported, progress.existing, progress.skipped, List.copyOf(progress.errors));
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.convert(Json.toTree(result), Map.class);
        return map;
    }

    /** Counts the file's lines (the progress' total) and records it, so a resumed run does not count again. */
    private Checkpoint firstCheckpoint(JobRun run, Path file, ImportInput input) throws IOException {
        long total;
        try (var in = Files.newInputStream(file)) {
            total = LineReader.count(in, input.bytes());
        }
        var first = new Checkpoint(0, 0, 0, 0, 0, List.of(), total, batchSize);
        run.checkpoint(first, 0, total);
        return first;
    }

    /**
     * Writes the batch (if it holds posts) and records the checkpoint after it; answers the posts written. A post
     * the posts service refuses (it checks again what the mapping checked) is skipped with its reason, and the rest
     * of the batch sent again.
     */
    private int write(JobRun run, ImportInput input, Identity owner, Batch batch, Progress progress, long end) {
        int written = batch.posts.size();
        if (!batch.posts.isEmpty()) {
            UUID importId = UUID.nameUUIDFromBytes((run.job().id() + "@" + progress.offset).getBytes(StandardCharsets.UTF_8));
            PostImportResult result = null;
            while (result == null) {
                try {
                    result = posts.write(input.roomId(), owner, importId, batch.posts);
                } catch (RemoteProblem refused) {
                    int index = refusedPost(refused);
                    if (index < 0 || index >= batch.posts.size()) {
                        throw refused;
                    }
                    progress.skip(batch.numbers.remove(index), "refused by the posts service: " + refused.detail());
                    batch.posts.remove(index);
                    if (batch.posts.isEmpty()) {
                        result = new PostImportResult(0, 0);
                    }
                }
            }
            progress.imported += result.created();
            progress.existing += result.existing();
        }
        progress.offset = end;
        run.checkpoint(progress.checkpoint(), progress.lines, progress.total);
        batch.clear();
        return written;
    }

    /** The index of the post a 422 of the posts service names ({@code posts[3].title}), or -1. */
    private static int refusedPost(RemoteProblem problem) {
        if (problem.status() != 422 || problem.errors().isEmpty()) {
            return -1;
        }
        Matcher m = POST_INDEX.matcher(problem.errors().getFirst().field());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Keeps an import at or under the configured rate, so it never crowds out the room's live traffic. */
    private void pace(Instant began, long written) throws InterruptedException {
        if (rate <= 0) {
            return;
        }
        long due = written * 1000 / rate - Duration.between(began, clock.instant()).toMillis();
        if (due > 0) {
            Thread.sleep(due);
        }
    }

    /** The posts read since the last checkpoint, with their line numbers, and the lines and bytes that went by. */
    private static final class Batch {
        final List<ImportedPost> posts = new ArrayList<>();
        final List<Long> numbers = new ArrayList<>();
        long lines;
        long bytes;

        void add(ImportedPost post, long number, int length) {
            posts.add(post);
            numbers.add(number);
            bytes += length;
        }

        void clear() {
            posts.clear();
            numbers.clear();
            lines = 0;
            bytes = 0;
        }
    }

    /** The counts so far, which a checkpoint records. */
    private static final class Progress {
        final long total;
        final int batchSize;
        final List<ImportError> errors;
        long lines;
        long offset;
        long imported;
        long existing;
        long skipped;

        Progress(Checkpoint from) {
            total = from.total();
            batchSize = from.batchSize() > 0 ? from.batchSize() : 1; // recorded by the first run
            errors = new ArrayList<>(from.errors());
            lines = from.lines();
            offset = from.offset();
            imported = from.imported();
            existing = from.existing();
            skipped = from.skipped();
        }

        void skip(long line, String reason) {
            skipped++;
            if (errors.size() < MAX_ERRORS) {
                errors.add(new ImportError(line, reason.length() <= 200 ? reason : reason.substring(0, 200) + "..."));
            }
        }

        Checkpoint checkpoint() {
            return new Checkpoint(lines, offset, imported, existing, skipped, List.copyOf(errors), total, batchSize);
        }
    }
}
