package dev.quench.callbacks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** What {@code delivery} says in each state the loop and its runner can be in. */
class DeliveryHealthIndicatorTests {

  private final DeliveryStatus status = new DeliveryStatus(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
      ZoneOffset.UTC));
  private boolean running = true;
  private boolean alive = true;
  private final DeliveryHealthIndicator indicator = new DeliveryHealthIndicator(new DeliveryView() {
    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public boolean threadAlive() {
      return alive;
    }

    @Override
    public DeliveryStatus.Snapshot status() {
      return status.snapshot();
    }
  });

  private static DeliveryStatus.Progress progress(Set<Integer> owned, Set<Integer> restoring, int pending) {
    return new DeliveryStatus.Progress(true, owned, restoring, pending, null);
  }

  @Test
  void outOfServiceUntilTheRunHasJoinedAndRestoredItsPartitionsThenUp() {
    assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

    status.published(progress(Set.of(0, 1), Set.of(1), 0));
    Health restoring = indicator.health();
    assertThat(restoring.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(restoring.getDetails()).containsEntry("restoring", new java.util.TreeSet<>(Set.of(1)));

    status.published(progress(Set.of(0, 1), Set.of(), 3));
    Health up = indicator.health();
    assertThat(up.getStatus()).isEqualTo(Status.UP);
    assertThat(up.getDetails()).containsEntry("pending", 3).containsEntry("failures", 0L)
        .containsEntry("partitions", new java.util.TreeSet<>(Set.of(0, 1)));
  }

  @Test
  void anInstanceWithNoPartitionIsUpOnceItHasJoined() {
    status.published(progress(Set.of(), Set.of(), 0));
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void downWhileRunsKeepFailingUntilOneJoinsAndCompletesATurn() {
    status.published(progress(Set.of(0), Set.of(), 0));
    status.failed(new IllegalStateException("cannot read the end of [tasks.log-0]"));
    Health failing = indicator.health();
    assertThat(failing.getStatus()).isEqualTo(Status.DOWN);
    assertThat(failing.getDetails()).containsEntry("error",
        "IllegalStateException: cannot read the end of [tasks.log-0]").containsEntry("failures", 1L)
        .containsEntry("failingSince", "2026-01-01T00:00:00Z");

    // The next run's turns before it joined the group prove nothing.
    status.turnCompleted();
    status.failed(new IllegalStateException("again"));
    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(indicator.health().getDetails()).containsEntry("failures", 2L);

    status.published(progress(Set.of(0), Set.of(), 0));
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void downWhenStoppedOrWhenTheThreadHasEnded() {
    status.published(progress(Set.of(0), Set.of(), 0));
    alive = false;
    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    running = false;
    assertThat(indicator.health().getDetails()).containsEntry("delivery", "stopped");
  }
}
