package dev.quench.worker.ownership;

import dev.quench.events.OrphanPolicy;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Owns this worker's partitions: the thread that runs one {@link OwnerSession} after another (a session that fails
 * is replaced by a new one that restores everything from the log), the handler threads ({@link RunningTasks}) that
 * outlive sessions, and the cancel watch, the fast path to a running task's token.
 *
 * <p>A planned stop stops starting tasks, lets running ones finish for up to the shutdown grace, hands those still
 * going back to the queue for the next owner, and leaves the group. A fenced producer is never retried.
 */
final class PartitionOwner implements SmartLifecycle, HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(PartitionOwner.class);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  private final OwnerSettings settings;
  private final Topics topics;
  private final WorkerClients clients;
  private final HandlerRegistry handlers;
  private final PriceList prices;
  private final EventCodec codec;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final Queue<Report> reports = new ConcurrentLinkedQueue<>();
  private final RunningTasks running;
  private final CancelWatch cancelWatch;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private volatile OwnerSession session;
  private volatile boolean inSession;
  private volatile Instant sessionFailedAt;
  private volatile boolean started;
  private volatile Instant drainDeadline;
  private Thread thread;
  private Thread cancelWatchThread;

  PartitionOwner(OwnerSettings settings, Topics topics, WorkerClients clients, HandlerRegistry handlers,
                 PriceList prices, EventCodec codec, Clock clock, MeterRegistry meters) {
    this.settings = settings;
    this.topics = topics;
    this.clients = clients;
    this.handlers = handlers;
    this.prices = prices;
    this.codec = codec;
    this.clock = clock;
    this.metrics = new WorkerMetrics(meters);
    this.running = new RunningTasks(settings.cancelGrace(), settings.abandonAfter(), settings.progressInterval(),
        this::report, metrics::tokenObserved);
    this.cancelWatch = new CancelWatch(clients::cancelWatchConsumer, topics.requests(), running);
    metrics.watch(meters, running, () -> {
      OwnerSession current = session;
      return current == null ? 0 : current.queued();
    }, () -> {
      OwnerSession current = session;
      return current == null ? new BatchDesk.Backlog(0, 0) : current.batchBacklog();
    }, () -> inSession, clock);
  }

  @Override
  public void start() {
    started = true;
    thread = new Thread(this::loop, "quench-worker-owner");
    thread.start();
    cancelWatchThread = new Thread(cancelWatch, "quench-worker-cancel-watch");
    cancelWatchThread.setDaemon(true);
    cancelWatchThread.start();
  }

  /** Stops starting tasks, lets running ones finish for up to the shutdown grace, then leaves the group. */
  @Override
  public void stop() {
    if (!started) {
      return;
    }
    drainDeadline = clock.instant().plus(settings.shutdownGrace());
    wakeup();
    cancelWatch.stop();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    started = false;
  }

  @Override
  public boolean isRunning() {
    return started;
  }

  /**
   * UP while the owner loop runs a session with the cluster; DOWN when it has been failing to start one for longer
   * than the session timeout would let its partitions wait (a broker outage, say), or when it stopped.
   */
  @Override
  public Health health() {
    Instant failedAt = sessionFailedAt;
    if (!started || thread == null || !thread.isAlive()) {
      return Health.down().withDetail("owner", "stopped").build();
    }
    if (inSession || failedAt == null || Duration.between(failedAt, clock.instant()).getSeconds() < 10) {
      return Health.up().withDetail("running", running.active()).withDetail("in_session", inSession).build();
    }
    return Health.down().withDetail("owner", "restarting its session since " + failedAt).build();
  }

  private void loop() {
    boolean adopting = false;
    try {
      while (!drained()) {
        OwnerSession current = new OwnerSession(settings, topics, clients, handlers, prices, codec, clock, running,
            reports, metrics, () -> drainDeadline != null, adopting);
        session = current;
        try {
          inSession = true;
          sessionFailedAt = null;
          current.run(this::drained);
        } catch (RuntimeException | Error e) {
          inSession = false;
          if (sessionFailedAt == null) {
            sessionFailedAt = clock.instant();
          }
          log.error("worker session ended; restoring from the log in {}", RETRY_BACKOFF, e);
          adopting = current.teardown();
          pause();
        }
      }
    } finally {
      inSession = false;
      running.shutdown();
      stopped.countDown();
    }
  }

  private boolean drained() {
    Instant deadline = drainDeadline;
    return deadline != null && (running.active() == 0 || !clock.instant().isBefore(deadline));
  }

  private void report(Report report) {
    reports.add(report);
    wakeup();
  }

  private void wakeup() {
    OwnerSession current = session;
    if (current != null) {
      current.wakeup();
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Settings the owner runs with; see {@code quench.worker.*}.
   *
   * @param commitInterval        the least time between the starts of two transactions ({@link CommitPacer})
   * @param maxTransactionRecords a transaction this large commits without waiting for the interval
   * @param handOnPerTurn         the most batch targets handed on in one turn
   */
  record OwnerSettings(String workerId, int concurrency, Duration cancelGrace, Duration abandonAfter,
                       Duration progressInterval, OrphanPolicy orphanPolicy, Duration shutdownGrace,
                       Duration pollTimeout, Duration commitInterval, int maxTransactionRecords, int handOnPerTurn) {
  }
}
