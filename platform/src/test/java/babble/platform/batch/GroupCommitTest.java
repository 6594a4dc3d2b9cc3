package babble.platform.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import babble.platform.problem.Unavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Writes that arrive together are made as one, and every caller gets its own result only once it is written. */
class GroupCommitTest {

    @Test
    void concurrentSubmitsShareWritesAndEachGetsItsOwnResult() throws Exception {
        var total = new AtomicLong();
        var writes = new AtomicInteger();
        try (var commit = new GroupCommit<Integer, Long>("test", 100, 1_000, batch -> {
            writes.incrementAndGet();
            sleep(5); // a durable write takes a while: meanwhile the next batch gathers
            var results = new ArrayList<Long>();
            for (int amount : batch) {
                results.add(total.addAndGet(amount));
            }
            return results;
        })) {
            Set<Long> answers = ConcurrentHashMap.newKeySet();
            try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 500; i++) {
                    callers.submit(() -> answers.add(commit.submit(1)));
                }
            }

            assertThat(answers).hasSize(500).allMatch(n -> n >= 1 && n <= 500);
            assertThat(total.get()).isEqualTo(500);
            assertThat(writes.get()).isLessThan(250);
        }
    }

    @Test
    void aFailedWriteFailsEveryCallerOfItsBatchAndTheNextBatchGoesOn() throws Exception {
        var failNext = new CountDownLatch(1);
        try (var commit = new GroupCommit<String, String>("test", 10, 100, batch -> {
            if (failNext.getCount() > 0) {
                failNext.countDown();
                throw new IllegalStateException("disk full");
            }
            return batch.stream().map(String::toUpperCase).toList();
        })) {
            assertThatThrownBy(() -> commit.submit("a")).isInstanceOf(IllegalStateException.class).hasMessage("disk full");

            assertThat(commit.submit("b")).isEqualTo("B");
        }
    }

    @Test
    void aFullQueueIsAnsweredUnavailableRatherThanQueuedWithoutEnd() throws Exception {
        var release = new CountDownLatch(1);
        try (var commit = new GroupCommit<Integer, Integer>("test", 1, 2, batch -> {
            await(release);
            return batch;
        }); var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // one being written, two queued
                int n = i;
                waiting.add(callers.submit(() -> commit.submit(n)));
                sleep(50);
            }

            assertThatThrownBy(() -> commit.submit(99)).isInstanceOf(Unavailable.class);
            release.countDown();
            for (int i = 0; i < 3; i++) {
                assertThat(waiting.get(i).get()).isEqualTo(i);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
