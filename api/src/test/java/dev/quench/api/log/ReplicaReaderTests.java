package dev.quench.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.wire.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What the read barrier tells its caller: whether every acknowledged request is in, not only that it waited. */
class ReplicaReaderTests {

  private static final Topics TOPICS = Topics.withPrefix("");

  @Test
  void aBarrierWhileTheBrokerIsUnreachableSaysItIsNotUpToDate() throws InterruptedException {
    try (ReadBarrier barrier = new ReadBarrier(TOPICS.requests(), partitions -> Map.of())) {
      assertThat(reader(barrier, () -> false).awaitRequests(Set.of(0), Duration.ofSeconds(1))).isFalse();
    }
  }

  @Test
  void aBarrierWhoseEndsTheBrokerDidNotTellSaysItIsNotUpToDate() throws InterruptedException {
    Function<Set<TopicPartition>, Map<TopicPartition, Long>> failing = partitions -> {
      throw new IllegalStateException("the broker did not answer");
    };
    try (ReadBarrier barrier = new ReadBarrier(TOPICS.requests(), failing)) {
      assertThat(reader(barrier, () -> true).awaitRequests(Set.of(0, 1), Duration.ofSeconds(1))).isFalse();
    }
  }

  @Test
  void aBarrierNotReachedInTimeSaysItIsNotUpToDateAndOneAlreadyReachedSaysItIs() throws InterruptedException {
    // Partition 0 ends at 3, which this reader (at 0, never polling) does not reach; partition 1 ends at 0.
    Function<Set<TopicPartition>, Map<TopicPartition, Long>> ends = partitions -> Map.of(
        new TopicPartition(TOPICS.requests(), 0), 3L, new TopicPartition(TOPICS.requests(), 1), 0L);
    try (ReadBarrier barrier = new ReadBarrier(TOPICS.requests(), ends)) {
      ReplicaReader reader = reader(barrier, () -> true);
      assertThat(reader.awaitRequests(Set.of(0), Duration.ofMillis(200))).isFalse();
      assertThat(reader.awaitRequests(Set.of(1), Duration.ofSeconds(5))).isTrue();
    }
  }

  private static ReplicaReader reader(ReadBarrier barrier, BooleanSupplier brokerReachable) {
    return new ReplicaReader(() -> null, null, null, barrier, brokerReachable, () -> 0, TOPICS, 2,
        Clock.systemUTC(), Duration.ofMinutes(1));
  }
}
