package dev.quench.callbacks.delivery;

import java.util.TreeSet;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code delivery} in {@code /actuator/health}, and in the liveness and readiness groups: DOWN when the delivery
 * thread has ended or stopped, or while the loop is stuck restarting (a run failed and none has joined the group and
 * completed a turn since), with the error; OUT_OF_SERVICE while the run joins the group or folds its partitions (no
 * callback of theirs is sent until then; liveness answers 200 for it, a restore is no reason for a restart); UP with
 * the partitions it owns and the callbacks pending otherwise.
 */
@Component
final class DeliveryHealthIndicator implements HealthIndicator {

  private final DeliveryView runner;

  DeliveryHealthIndicator(DeliveryView runner) {
    this.runner = runner;
  }

  @Override
  public Health health() {
    DeliveryStatus.Snapshot status = runner.status();
    DeliveryStatus.Progress progress = status.progress();
    Health.Builder health;
    if (!runner.isRunning()) {
      health = Health.down().withDetail("delivery", "stopped");
    } else if (!runner.threadAlive()) {
      health = Health.down().withDetail("error", "the delivery thread has ended");
    } else if (status.failing()) {
      health = Health.down().withDetail("error", status.lastError())
          .withDetail("failingSince", status.failingSince().toString());
    } else if (!progress.joined()) {
      health = Health.outOfService().withDetail("delivery", "joining the group");
    } else if (!progress.restoring().isEmpty()) {
      health = Health.outOfService().withDetail("restoring", new TreeSet<>(progress.restoring()));
    } else {
      health = Health.up();
    }
    return health.withDetail("partitions", new TreeSet<>(progress.owned()))
        .withDetail("pending", progress.pending())
        .withDetail("failures", status.failures())
        .build();
  }
}
