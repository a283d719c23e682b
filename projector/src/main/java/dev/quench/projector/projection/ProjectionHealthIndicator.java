package dev.quench.projector.projection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code projection} in {@code /actuator/health}, and in the liveness and readiness groups: DOWN when the projection
 * thread has died, or while the loop is stuck retrying (a run failed and none has completed a batch since); UP
 * otherwise, with when the last batch was completed. A rebuild ({@code quench.projector.rebuild=true}) has no loop.
 */
@Component
final class ProjectionHealthIndicator implements HealthIndicator {

  private final ObjectProvider<ProjectionRunner> runners;

  ProjectionHealthIndicator(ObjectProvider<ProjectionRunner> runners) {
    this.runners = runners;
  }

  @Override
  public Health health() {
    ProjectionRunner runner = runners.getIfAvailable();
    if (runner == null) {
      return Health.up().withDetail("mode", "rebuild").build();
    }
    ProjectionStatus.Snapshot status = runner.status();
    Health.Builder health;
    if (runner.isRunning() && !runner.threadAlive()) {
      health = Health.down().withDetail("error", "the projection thread has ended");
    } else if (status.failing()) {
      health = Health.down().withDetail("error", status.lastError())
          .withDetail("failingSince", status.failingSince().toString());
    } else {
      health = Health.up();
    }
    return health.withDetail("failures", status.failures())
        .withDetail("lastBatchAt", status.lastBatchAt() == null ? "none yet" : status.lastBatchAt().toString())
        .build();
  }
}
