package dev.quench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class RestartingRunTests {

  private final List<String> journal = new CopyOnWriteArrayList<>();
  private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
  private final AtomicInteger built = new AtomicInteger();

  /** A run that fails at once the first {@code failing} times, then blocks until woken or told to stop. */
  private final class ScriptedRun implements RestartingRun.Run {
    private final int number;
    private final BooleanSupplier running;
    private final boolean fails;
    private final CountDownLatch woken = new CountDownLatch(1);

    ScriptedRun(int number, BooleanSupplier running, boolean fails) {
      this.number = number;
      this.running = running;
      this.fails = fails;
    }

    @Override
    public void run() {
      journal.add("run " + number);
      if (fails) {
        throw new IllegalStateException("run " + number + " failed");
      }
      try {
        while (running.getAsBoolean() && !woken.await(10, TimeUnit.SECONDS)) {
          // a long poll, as a consumer's would be
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void wakeup() {
      woken.countDown();
    }

    @Override
    public void close() {
      journal.add("close " + number);
    }
  }

  private RestartingRun supervisor(int failing, Duration backoff) {
    return new RestartingRun("test-run", true, running -> {
      int n = built.incrementAndGet();
      return new ScriptedRun(n, running, n <= failing);
    }, backoff, Duration.ofSeconds(10), failures::add, () -> journal.add("ended"));
  }

  @Test
  void aFailedRunIsClosedReportedAndReplacedByAFreshOne() {
    RestartingRun supervisor = supervisor(2, Duration.ofMillis(1));
    supervisor.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> journal.contains("run 3"));
    supervisor.stop();

    assertThat(failures).extracting(Throwable::getMessage).containsExactly("run 1 failed", "run 2 failed");
    assertThat(journal).containsExactly("run 1", "close 1", "ended", "run 2", "close 2", "ended", "run 3",
        "close 3", "ended");
    assertThat(supervisor.threadAlive()).isFalse();
    assertThat(supervisor.isRunning()).isFalse();
  }

  @Test
  void aStopWakesTheBlockedRunInsteadOfWaitingForItsPoll() {
    RestartingRun supervisor = supervisor(0, Duration.ofMillis(1));
    supervisor.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> journal.contains("run 1"));

    long before = System.nanoTime();
    supervisor.stop();

    // The run waits ten seconds per poll; only a wake-up ends it before that.
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
    assertThat(journal).containsExactly("run 1", "close 1", "ended");
    assertThat(failures).isEmpty();
  }

  @Test
  void aStopDuringTheBackOffEndsItWithoutAnotherRun() {
    RestartingRun supervisor = supervisor(1, Duration.ofHours(1));
    supervisor.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);

    supervisor.stop();

    assertThat(supervisor.threadAlive()).isFalse();
    assertThat(built).hasValue(1);
    assertThat(journal).containsExactly("run 1", "close 1", "ended");
  }

  @Test
  void aSecondStartOrStopChangesNothing() {
    RestartingRun supervisor = supervisor(0, Duration.ofMillis(1));
    supervisor.start();
    supervisor.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> journal.contains("run 1"));
    supervisor.stop();
    supervisor.stop();

    assertThat(built).hasValue(1);
  }
}
