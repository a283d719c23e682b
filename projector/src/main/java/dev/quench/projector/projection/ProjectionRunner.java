package dev.quench.projector.projection;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.projector.ProjectorProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the projection thread: starts it with the application context, restarts a failed run with fresh clients
 * after a back-off, and stops it by waking its consumer, so a stop does not wait for a poll to time out.
 *
 * <p>The thread is not a daemon: without a web server it is what keeps a projector process alive.
 */
@Component
@ConditionalOnProperty(name = "quench.projector.rebuild", havingValue = "false", matchIfMissing = true)
final class ProjectionRunner implements SmartLifecycle {

  static final String FAILURES = "quench.projector.failures";

  private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

  private final ProjectorClients clients;
  private final EventCodec codec;
  private final Topics topics;
  private final ProjectorProperties properties;
  private final MeterRegistry registry;
  private final Counter failures;
  private final ProjectionStatus status = new ProjectionStatus(Clock.systemUTC());
  private final CancelOutcomeMeters outcomes;
  private final Object backoff = new Object();

  private volatile boolean running;
  private volatile ViewProjection current;
  private Thread thread;

  ProjectionRunner(ProjectorClients clients, EventCodec codec, Topics topics, ProjectorProperties properties,
                   ObjectProvider<MeterRegistry> registry) {
    this.clients = clients;
    this.codec = codec;
    this.topics = topics;
    this.properties = properties;
    this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
    this.failures = Counter.builder(FAILURES).description("projection runs that failed and were restarted")
        .register(this.registry);
    this.outcomes = new CancelOutcomeMeters(this.registry);
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "quench-projector");
    thread.start();
    log.info("projector {} started: {} -> {} in group {}", properties.id(), topics.log(), topics.view(),
        clients.groupId());
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    ViewProjection projection = current;
    if (projection != null) {
      projection.wakeup();
    }
    synchronized (backoff) {
      backoff.notifyAll();
    }
    try {
      thread.join(properties.stopTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("the projection did not stop within {}; interrupting it", properties.stopTimeout());
      thread.interrupt();
    }
    log.info("projector {} stopped", properties.id());
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** What the loop is doing, for health. */
  ProjectionStatus.Snapshot status() {
    return status.snapshot();
  }

  /** Whether the projection thread exists and has not ended. */
  synchronized boolean threadAlive() {
    return thread != null && thread.isAlive();
  }

  private void loop() {
    while (running) {
      try (ViewProjection projection = new ViewProjection(clients, codec, topics, registry, outcomes, status,
          properties.id(), properties.pollTimeout(), () -> running)) {
        current = projection;
        // A stop between creating the run and publishing it in current woke nobody: look again.
        if (running) {
          projection.run();
        }
      } catch (RuntimeException e) {
        if (running) {
          failures.increment();
          status.failed(e);
          log.error("the projection failed; restarting it from the committed offsets in {}",
              properties.restartBackoff(), e);
          pause();
        }
      } finally {
        current = null;
      }
    }
  }

  private void pause() {
    long until = System.nanoTime() + properties.restartBackoff().toNanos();
    synchronized (backoff) {
      long left;
      while (running && (left = until - System.nanoTime()) > 0) {
        try {
          backoff.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
