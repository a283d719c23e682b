package dev.quench.worker.ownership;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes every transaction of the owner carry consumer offsets, so the group coordinator checks its generation on
 * every commit (KIP-447), not only on those that consumed something. A worker frozen past its session timeout (a
 * stopped JVM, a cut network) still believes it owns its partitions when it wakes; a transaction holding only a
 * handler's late result would otherwise commit with nobody asking whether its owner is still the owner, and land a
 * second terminal event beside the new owner's. With the offsets it committed last sent again, such a transaction
 * is refused with the stale generation and aborted.
 *
 * <p>Re-sending committed offsets moves nothing: they are where the partition's offsets already stand.
 */
final class GenerationFence {

  private final Map<TopicPartition, OffsetAndMetadata> lastCommitted = new HashMap<>();

  /**
   * The offsets a transaction sends: those it consumed, or else, for the fence alone, the last committed offset of a
   * partition the owner holds ({@code committed} asks the broker, once, if none was committed in this session).
   *
   * @return empty only if no partition held has a committed offset yet (a group that never committed)
   */
  Map<TopicPartition, OffsetAndMetadata> offsetsFor(Map<TopicPartition, OffsetAndMetadata> consumed,
                                                     Set<TopicPartition> held,
                                                     Function<Set<TopicPartition>, Map<TopicPartition,
                                                         OffsetAndMetadata>> committed) {
    if (!consumed.isEmpty() || held.isEmpty()) {
      return consumed;
    }
    for (TopicPartition tp : held) {
      OffsetAndMetadata last = lastCommitted.get(tp);
      if (last != null) {
        return Map.of(tp, last);
      }
    }
    committed.apply(held).forEach((tp, offset) -> {
      if (offset != null) {
        lastCommitted.put(tp, offset);
      }
    });
    for (TopicPartition tp : held) {
      OffsetAndMetadata last = lastCommitted.get(tp);
      if (last != null) {
        return Map.of(tp, last);
      }
    }
    return Map.of();
  }

  /** A transaction with these offsets committed. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    lastCommitted.putAll(offsets);
  }

  /** Partitions no longer held: their offsets may move under another owner. */
  void released(Set<TopicPartition> partitions) {
    partitions.forEach(lastCommitted::remove);
  }
}
