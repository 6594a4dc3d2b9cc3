package babble.jobs;

import babble.jobs.api.JobsApi;
import babble.jobs.api.UploadsApi;
import babble.jobs.domain.JobKind;
import babble.jobs.domain.JobSettings;
import babble.jobs.domain.Jobs;
import babble.jobs.domain.Uploads;
import babble.jobs.domain.Worker;
import babble.jobs.events.JobEvents;
import babble.jobs.kinds.ExportRoom;
import babble.jobs.kinds.ImportPosts;
import babble.jobs.kinds.PostsWriter;
import babble.jobs.kinds.Probe;
import babble.jobs.kinds.RoomReader;
import babble.jobs.queue.JobQueue;
import babble.jobs.queue.RedisStreamQueue;
import babble.jobs.queue.StoreQueue;
import babble.jobs.store.JobFiles;
import babble.jobs.store.JobStore;
import babble.jobs.store.UploadStore;
import babble.platform.Chassis;
import babble.platform.Service;
import babble.platform.config.ConfigException;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long work as jobs (seed 003): records in the service's database, a queue every jobs process shares (Redis
 * Streams where the deployment has Redis, else the database), workers with leases and checkpoints, exports, and
 * imports of uploaded files.
 */
public final class JobsService implements Service {
    private static final Logger log = LoggerFactory.getLogger(JobsService.class);

    public enum QueueKind { REDIS, STORE }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public void start(Chassis chassis) {
        var config = chassis.config();
        var settings = JobSettings.from(config);
        var db = chassis.database();
        var redis = chassis.redis();
        QueueKind queueKind = config.choice("QUEUE", redis.isPresent() ? QueueKind.REDIS : QueueKind.STORE);
        String worker = config.string("PROCESS_NAME", "jobs") + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        JobQueue queue = switch (queueKind) {
            case REDIS -> new RedisStreamQueue(redis.orElseThrow(() -> new ConfigException(
                    config.nameOf("QUEUE") + "=redis needs BABBLE_REDIS_URL")), worker, settings.reclaimAfter(), chassis.clock());
            case STORE -> new StoreQueue(db, worker, settings.reclaimAfter(), chassis.clock());
        };
        chassis.onStop(queue);
        var files = new JobFiles(Path.of(config.string("FILES_DIR",
                Path.of(config.string("DATA_DIR", "data")).resolve("jobs").toString())).toAbsolutePath().normalize());
        var reader = new RoomReader(chassis.client("rooms"), chassis.client("messages"));
        var kinds = new LinkedHashMap<String, JobKind>();
        kinds.put(ExportRoom.NAME, new ExportRoom(reader, settings.exportRate(), chassis.clock()));
        // A batch is one transaction of up to a thousand posts: longer than the usual 2 s is allowed for.
        var postsWriter = new PostsWriter(chassis.client("posts", Duration.ofSeconds(30)));
        kinds.put(ImportPosts.NAME, new ImportPosts(postsWriter, settings.importBatch(), settings.importRate(), chassis.clock()));
        if (settings.probe()) {
            kinds.put(Probe.NAME, new Probe());
        }
        var store = new JobStore();
        var events = new JobEvents(chassis.outbox());
        var jobs = new Jobs(db, store, queue, events, files, Map.copyOf(kinds), settings, chassis.clock());
        var uploads = new Uploads(db, new UploadStore(), files, jobs,
                (roomId, userId) -> {
                    var access = reader.access(roomId, userId);
                    if (access.owner() && access.privateRoom()) { // its posts would fail one by one: refused now
                        throw new babble.platform.problem.InvalidField("roomId",
                                "a private room has chat only: posts are imported into public rooms");
                    }
                    return access.owner();
                }, settings, chassis.clock());
        var workers = new Worker(db, store, queue, events, files, Map.copyOf(kinds), settings, chassis.clock(),
                chassis.meters(), jobs::onFinished);
        Gauge.builder("babble_jobs_queue_entries", queue, JobQueue::size)
                .description("entries in the shared job queue, waiting or leased").register(chassis.meters());
        chassis.http(routes -> {
            new JobsApi(jobs).register(routes);
            new UploadsApi(uploads).register(routes);
        });
        chassis.every("sweep", settings.sweepEvery(), jobs::sweep);
        chassis.every("expire-uploads", settings.sweepEvery(), uploads::expire);
        chassis.every("expire-results", Duration.ofHours(1), () -> files.deleteOlderThan(settings.resultTtl()));
        workers.start(worker);
        chassis.onStop(workers);
        log.info("jobs: {} worker(s) as {}, queue on {}, kinds {}", settings.workers(), worker, queue.describe(), kinds.keySet());
    }
}
