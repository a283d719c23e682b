package dev.quench.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** Given how far the replica has read and what the view topic held when, its health and lag. */
class ReplicaStalenessTests {

  private static final Duration MAX = Duration.ofSeconds(30);

  private final FakeReplica replica = new FakeReplica();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReplicaStaleness staleness = new ReplicaStaleness(replica, registry, clock, MAX);

  @Test
  void isOutOfServiceUntilTheReplicaReadTheViewTopicToItsStartEnd() {
    replica.caughtUp = false;

    assertThat(staleness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

    replica.caughtUp = true;
    assertThat(staleness.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void isDownWhileTheReplicaLoopFails() {
    replica.failure = new ReplicaProgress.Failure("TimeoutException: no broker", clock.instant());

    assertThat(staleness.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(staleness.health().getDetails()).containsEntry("error", "TimeoutException: no broker");
  }

  @Test
  void aReplicaBehindIsReadyWhileItReadsWhatWasWrittenWithinTheStalenessBound() {
    replica.positions = new long[] {100, 50};
    staleness.onEnds(Map.of(0, 120L, 1, 50L), clock.instant());

    assertThat(lagGauge(0)).isEqualTo(20.0);
    assertThat(lagGauge(1)).isZero();
    assertThat(staleness.health().getStatus()).isEqualTo(Status.UP);

    // 31 s later it still has not read what partition 0 held then: it is too far behind to serve.
    clock.advance(Duration.ofSeconds(31));
    staleness.onEnds(Map.of(0, 400L, 1, 50L), clock.instant());
    assertThat(staleness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(staleness.health().getDetails().get("behind")).isEqualTo(Map.of("0", 20L));

    // It passes the old end, though the topic grew meanwhile: ready again.
    replica.positions = new long[] {130, 50};
    assertThat(staleness.health().getStatus()).isEqualTo(Status.UP);
    assertThat(lagGauge(0)).isEqualTo(270.0);
  }

  @Test
  void theViewAgeIsTheTimeSinceTheNewestAppliedViewWasWritten() {
    assertThat(registry.get(ReplicaStaleness.VIEW_AGE).tag("partition", "0").gauge().value()).isNaN();

    replica.newest = new long[] {clock.millis() - 2_500, -1};

    assertThat(registry.get(ReplicaStaleness.VIEW_AGE).tag("partition", "0").gauge().value()).isEqualTo(2.5);
    assertThat(registry.get(ReplicaStaleness.VIEW_AGE).tag("partition", "1").gauge().value()).isNaN();
  }

  private double lagGauge(int partition) {
    return registry.get(ReplicaStaleness.LAG).tag("partition", String.valueOf(partition)).gauge().value();
  }

  private static final class FakeReplica implements ReplicaProgress {
    boolean caughtUp = true;
    long[] positions = {0, 0};
    long[] newest = {-1, -1};
    Failure failure;

    @Override
    public int partitions() {
      return 2;
    }

    @Override
    public boolean isCaughtUp() {
      return caughtUp;
    }

    @Override
    public long viewPosition(int partition) {
      return positions[partition];
    }

    @Override
    public long newestViewTimestamp(int partition) {
      return newest[partition];
    }

    @Override
    public Failure failure() {
      return failure;
    }
  }
}
