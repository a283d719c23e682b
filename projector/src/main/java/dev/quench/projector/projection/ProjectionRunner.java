package dev.quench.projector.projection;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.RestartingRun;
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
 * The projection's place in the application context: one {@link RestartingRun} of {@link ViewProjection}s, started
 * and stopped with the context, a failed run counted and kept for health.
 */
@Component
@ConditionalOnProperty(name = "quench.projector.rebuild", havingValue = "false", matchIfMissing = true)
final class ProjectionRunner implements SmartLifecycle {

  static final String FAILURES = "quench.projector.failures";

  private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

  private final ProjectionStatus status = new ProjectionStatus(Clock.systemUTC());
  private final RestartingRun projection;
  private final ProjectorProperties properties;
  private final Topics topics;
  private final ProjectorClients clients;

  ProjectionRunner(ProjectorClients clients, EventCodec codec, Topics topics, ProjectorProperties properties,
                   ObjectProvider<MeterRegistry> registry) {
    this.clients = clients;
    this.topics = topics;
    this.properties = properties;
    MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
    Counter failures = Counter.builder(FAILURES).description("projection runs that failed and were restarted")
        .register(meters);
    CancelOutcomeMeters outcomes = new CancelOutcomeMeters(meters);
    // Not a daemon: without a web server it is what keeps a projector process alive.
    this.projection = new RestartingRun("quench-projector", false,
        running -> new ViewProjection(clients, codec, topics, meters, outcomes, status, properties.id(),
            properties.pollTimeout(), properties.reportInterval(), running),
        properties.restartBackoff(), properties.stopTimeout(), e -> {
          failures.increment();
          status.failed(e);
        }, () -> { });
  }

  @Override
  public void start() {
    projection.start();
    log.info("projector {} started: {} -> {} in group {}", properties.id(), topics.log(), topics.view(),
        clients.groupId());
  }

  @Override
  public void stop() {
    projection.stop();
    log.info("projector {} stopped", properties.id());
  }

  @Override
  public boolean isRunning() {
    return projection.isRunning();
  }

  /** What the loop is doing, for health. */
  ProjectionStatus.Snapshot status() {
    return status.snapshot();
  }

  /** Whether the projection thread exists and has not ended. */
  boolean threadAlive() {
    return projection.threadAlive();
  }
}
