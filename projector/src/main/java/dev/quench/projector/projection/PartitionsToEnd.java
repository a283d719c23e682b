package dev.quench.projector.projection;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads partitions by hand-assignment from their beginning up to the end offsets taken when the read starts, the way
 * both restores of a newly owned partition read the projector's own topics: what the projector acknowledged before a
 * commit is below those ends, and what comes after belongs to the projection that follows. Leaves the consumer
 * assigned nothing.
 */
final class PartitionsToEnd {

  private static final Duration POLL = Duration.ofMillis(200);

  private PartitionsToEnd() {
  }

  /**
   * @param running checked between polls, so a stop is not held up by a long read
   * @return how many records were read (those below the ends)
   * @throws WakeupException once {@code running} says stop
   */
  static long read(Consumer<String, byte[]> consumer, List<TopicPartition> partitions, BooleanSupplier running,
                   java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    if (partitions.isEmpty()) {
      return 0;
    }
    long records = 0;
    consumer.assign(partitions);
    try {
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Set<TopicPartition> remaining = new HashSet<>(partitions);
      remaining.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
      while (!remaining.isEmpty()) {
        if (!running.getAsBoolean()) {
          throw new WakeupException();
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
            records++;
            each.accept(record);
          }
        }
        remaining.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
      }
    } finally {
      consumer.assign(List.of());
    }
    return records;
  }
}
