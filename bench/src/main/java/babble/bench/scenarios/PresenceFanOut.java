package babble.bench.scenarios;

import babble.bench.Latency;
import babble.bench.Machine;
import babble.bench.Target;
import babble.client.LiveClient;
import babble.client.UserSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/**
 * What presence costs at scale: U users × S sockets each, all following one room. In each round a member who had
 * no socket opens one, and every one of the U × S sockets must be told once that they came online; then the same
 * member posts a message, which every socket must get: the same-run baseline, one event fanned out to the same
 * sockets by the path chat has always used. Rounds alternate, so both share the machine's noise. Each round's
 * member is a new one, so no grace period hides a transition; their going offline is checked to reach everyone too.
 */
public final class PresenceFanOut {
    private PresenceFanOut() {
    }

    /** One round of one kind: how many of the sockets got the frame, how soon, and the server CPU it took. */
    public record Round(String kind, int sockets, long delivered, double allDeliveredMs, Latency latency,
                        double serverCpuMs) {
    }

    public record Result(int users, int socketsPerUser, List<Round> presence, List<Round> messages,
                         long offlineDelivered, long offlineExpected) {
    }

    /** What each socket waits for now: frames that match are timed from {@code started}. */
    private record Expectation(String type, String userId, long started, Recorder recorder, AtomicLong count,
                               AtomicLong last, CountDownLatch all) {
        void offer(JsonNode frame) {
            if (!type.equals(frame.path("type").asText())) {
                return;
            }
            boolean match = switch (type) {
                case "presence" -> userId.equals(frame.path("userId").asText()) && frame.path("online").asBoolean();
                case "message" -> userId.equals(frame.path("message").path("userId").asText());
                default -> false;
            };
            if (match) {
                long now = System.nanoTime();
                recorder.recordValue(Math.max(1_000, now - started));
                count.incrementAndGet();
                last.accumulateAndGet(now, Math::max);
                all.countDown();
            }
        }
    }

    public static Result run(Target target, int users, int socketsPerUser, int rounds,
                             Supplier<List<ProcessHandle>> servers) throws Exception {
        List<UserSession> holders = target.users().subList(0, Math.min(users, target.users().size()));
        UUID room = holders.getFirst().createRoom("presence fan-out").id();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (UserSession user : holders.subList(1, holders.size())) {
                pool.submit(() -> user.join(room));
            }
        }
        var subjects = new ArrayList<UserSession>();
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < rounds; i++) {
            UserSession subject = target.client().signUp("presence_" + run + "_" + i, "benchmark password");
            subject.join(room);
            subjects.add(subject);
        }

        int sockets = holders.size() * socketsPerUser;
        var expectation = new AtomicReference<Expectation>();
        var offline = new AtomicLong();
        var offlineOf = new AtomicReference<String>("");
        var subscribed = new CountDownLatch(sockets);
        var open = new ArrayList<LiveClient>(sockets);
        long lastSeq = target.lastSeq(room);
        try {
            for (int i = 0; i < sockets; i++) {
                UserSession holder = holders.get(i % holders.size());
                var socket = LiveClient.stream(target.sockets(), target.base(), holder.token(), frame -> {
                    String type = frame.path("type").asText();
                    if (type.equals("subscribed")) {
                        subscribed.countDown();
                    } else if (type.equals("presence") && !frame.path("online").asBoolean()
                            && offlineOf.get().equals(frame.path("userId").asText())) {
                        offline.incrementAndGet();
                    } else {
                        var now = expectation.get();
                        if (now != null) {
                            now.offer(frame);
                        }
                    }
                });
                socket.subscribe(room, lastSeq);
                open.add(socket);
            }
            if (!subscribed.await(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException(subscribed.getCount() + " of " + sockets + " sockets did not subscribe");
            }
            Thread.sleep(2_000); // the holders' own online announcements go by

            var presence = new ArrayList<Round>();
            var messages = new ArrayList<Round>();
            long offlineExpected = 0;
            long offlineDelivered = 0;
            for (UserSession subject : subjects) {
                String id = subject.id().toString();
                double cpuBefore = Machine.cpuSeconds(servers.get());
                var expect = expect("presence", id, sockets, expectation);
                var own = LiveClient.stream(target.sockets(), target.base(), subject.token(), frame -> { });
                presence.add(finish("presence", sockets, expect, cpuBefore, servers));

                cpuBefore = Machine.cpuSeconds(servers.get());
                expect = expect("message", id, sockets, expectation);
                subject.post(room, "presence baseline");
                messages.add(finish("message", sockets, expect, cpuBefore, servers));

                offlineOf.set(id);
                offline.set(0);
                own.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // the grace, then the sweep
                while (offline.get() < sockets && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                offlineExpected += sockets;
                offlineDelivered += offline.get();
            }
            return new Result(holders.size(), socketsPerUser, presence, messages, offlineDelivered, offlineExpected);
        } finally {
            open.forEach(LiveClient::close);
        }
    }

    private static Expectation expect(String type, String userId, int sockets, AtomicReference<Expectation> current) {
        var expectation = new Expectation(type, userId, System.nanoTime(), Latency.recorder(), new AtomicLong(),
                new AtomicLong(), new CountDownLatch(sockets));
        current.set(expectation);
        return expectation;
    }

    private static Round finish(String kind, int sockets, Expectation expectation, double cpuBefore,
                                Supplier<List<ProcessHandle>> servers) throws InterruptedException {
        expectation.all().await(30, TimeUnit.SECONDS);
        double cpuMs = (Machine.cpuSeconds(servers.get()) - cpuBefore) * 1000;
        long delivered = expectation.count().get();
        double allMs = delivered == 0 ? -1 : (expectation.last().get() - expectation.started()) / 1e6;
        return new Round(kind, sockets, delivered, Math.round(allMs * 10) / 10.0,
                Latency.of(expectation.recorder().getIntervalHistogram(), sockets - delivered), Math.round(cpuMs * 10) / 10.0);
    }
}
