package dev.quench.worker.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GenerationFenceTests {

  private static final TopicPartition P0 = new TopicPartition("tasks.requests", 0);
  private static final TopicPartition P1 = new TopicPartition("tasks.requests", 1);

  private final GenerationFence fence = new GenerationFence();
  private final AtomicInteger lookups = new AtomicInteger();
  private final Map<TopicPartition, OffsetAndMetadata> onTheBroker = new HashMap<>();

  private Map<TopicPartition, OffsetAndMetadata> offsetsFor(Map<TopicPartition, OffsetAndMetadata> consumed,
                                                            Set<TopicPartition> held) {
    return fence.offsetsFor(consumed, held, partitions -> {
      lookups.incrementAndGet();
      Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
      partitions.forEach(tp -> found.put(tp, onTheBroker.get(tp)));
      return found;
    });
  }

  @Test
  void aTransactionThatConsumedSendsWhatItConsumed() {
    Map<TopicPartition, OffsetAndMetadata> consumed = Map.of(P0, new OffsetAndMetadata(12));

    assertThat(offsetsFor(consumed, Set.of(P0, P1))).isEqualTo(consumed);
    assertThat(lookups).hasValue(0);
  }

  @Test
  void aTransactionOfResultsOnlySendsTheLastCommittedOffsetAgain() {
    fence.committed(Map.of(P1, new OffsetAndMetadata(40)));

    assertThat(offsetsFor(Map.of(), Set.of(P0, P1))).isEqualTo(Map.of(P1, new OffsetAndMetadata(40)));
    assertThat(lookups).as("known: the broker is not asked").hasValue(0);
  }

  @Test
  void withNothingCommittedInTheSessionTheBrokerIsAskedOnce() {
    onTheBroker.put(P0, new OffsetAndMetadata(7));

    assertThat(offsetsFor(Map.of(), Set.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
    assertThat(offsetsFor(Map.of(), Set.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
    assertThat(lookups).hasValue(1);
  }

  @Test
  void aReleasedPartitionsOffsetIsNeverSentAgain() {
    fence.committed(Map.of(P0, new OffsetAndMetadata(5)));
    fence.released(Set.of(P0));
    // Another owner moved it on meanwhile; sending 5 would move it back.
    onTheBroker.put(P0, new OffsetAndMetadata(90));

    assertThat(offsetsFor(Map.of(), Set.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(90)));
  }

  @Test
  void aGroupThatNeverCommittedHasNothingToSend() {
    assertThat(offsetsFor(Map.of(), Set.of(P0))).isEmpty();
    assertThat(offsetsFor(Map.of(), Set.of())).isEmpty();
  }
}
