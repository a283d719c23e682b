package dev.quench.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs a service's consuming loop, one {@link Run} after another: a run that fails is closed (its
 * clients with it) and, after a back-off, replaced by a fresh one that restores from the log; a stop wakes the
 * current run's consumer, so it does not wait for a poll to time out, and cuts a back-off short.
 *
 * <p>The projector and the deliverer both live like this; the worker's owner does not, as its stop first drains
 * running handlers, which its own loop decides.
 */
public final class RestartingRun {

  /** One attempt: built fresh after each failure, run until its {@code running} supplier turns false. */
  public interface Run extends AutoCloseable {

    /** Runs until {@code running} turns false or a {@link #wakeup()}; throws on any failure. */
    void run();

    /** Makes a blocked {@link #run()} return soon; called from another thread. */
    void wakeup();

    @Override
    void close();
  }

  /** What a service says of a failed run: counts it, keeps it for health. Called on the run's thread. */
  public interface FailureListener {
    void failed(RuntimeException failure);
  }

  private static final Logger log = LoggerFactory.getLogger(RestartingRun.class);

  private final String threadName;
  private final boolean daemon;
  private final Function<BooleanSupplier, Run> runs;
  private final Duration backoff;
  private final Duration stopTimeout;
  private final FailureListener failures;
  private final Runnable ended;
  private final Object pause = new Object();

  private volatile boolean running;
  private volatile Run current;
  private Thread thread;

  /**
   * @param threadName  the thread's name, which the benchmark's CPU split and thread dumps go by
   * @param daemon      false when this thread is what keeps a process without a web server alive
   * @param runs        builds the next run, given what tells it to go on
   * @param backoff     the wait after a failed run before the next one
   * @param stopTimeout how long a stop waits for the current run to end before interrupting its thread
   * @param failures    told of every failure of a run while running
   * @param ended       told after each run has closed, failed or not (what it knew went with it)
   */
  public RestartingRun(String threadName, boolean daemon, Function<BooleanSupplier, Run> runs, Duration backoff,
                       Duration stopTimeout, FailureListener failures, Runnable ended) {
    this.threadName = threadName;
    this.daemon = daemon;
    this.runs = runs;
    this.backoff = backoff;
    this.stopTimeout = stopTimeout;
    this.failures = failures;
    this.ended = ended;
  }

  /** Starts the thread; a second start does nothing. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, threadName);
    thread.setDaemon(daemon);
    thread.start();
  }

  /** Stops the current run and waits for the thread to end, interrupting it after the stop timeout. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    Run run = current;
    if (run != null) {
      run.wakeup();
    }
    synchronized (pause) {
      pause.notifyAll();
    }
    try {
      thread.join(stopTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("{} did not stop within {}; interrupting it", threadName, stopTimeout);
      thread.interrupt();
    }
  }

  /** Whether started and not stopped. */
  public boolean isRunning() {
    return running;
  }

  /** Whether the thread exists and has not ended (a health check's question: a dead thread is not restarted). */
  public synchronized boolean threadAlive() {
    return thread != null && thread.isAlive();
  }

  private void loop() {
    while (running) {
      // Closed before the catch: a failed run's clients are gone before the back-off, not after it.
      try (Run run = runs.apply(() -> running)) {
        current = run;
        // A stop between building the run and publishing it in current woke nobody: look again.
        if (running) {
          run.run();
        }
      } catch (RuntimeException e) {
        if (running) {
          failures.failed(e);
          log.error("{} failed; starting it again from the log in {}", threadName, backoff, e);
          pause();
        }
      } finally {
        current = null;
        ended.run();
      }
    }
  }

  private void pause() {
    long until = System.nanoTime() + backoff.toNanos();
    synchronized (pause) {
      long left;
      while (running && (left = until - System.nanoTime()) > 0) {
        try {
          pause.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
