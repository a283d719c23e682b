package dev.quench.projector.projection;

import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.UndecodableRecordException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads view partitions from their beginning up to the high watermark taken when the restore starts. The view topic
 * has no transactions, so the high watermark is its true end; everything the projector acknowledged before a
 * commit is below it.
 */
final class ViewRestore {

  private static final Logger log = LoggerFactory.getLogger(ViewRestore.class);

  private final Consumer<String, byte[]> consumer;
  private final EventCodec codec;
  private final String viewTopic;

  /** @param consumer without a group, reading uncommitted: it is assigned partitions by hand */
  ViewRestore(Consumer<String, byte[]> consumer, EventCodec codec, String viewTopic) {
    this.consumer = consumer;
    this.codec = codec;
    this.viewTopic = viewTopic;
  }

  /** @param running checked between polls, so a stop is not held up by a long restore */
  Map<Integer, RestoredViews> restore(Collection<Integer> partitions, BooleanSupplier running) {
    Map<Integer, RestoredViews> restored = new HashMap<>();
    partitions.forEach(p -> restored.put(p, new RestoredViews()));
    if (partitions.isEmpty()) {
      return restored;
    }
    List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(viewTopic, p)).toList();
    long started = System.nanoTime();
    long records = PartitionsToEnd.read(consumer, assigned, running,
        record -> add(restored.get(record.partition()), record));
    log.info("restored the views of {} partitions {} from {} records in {} ms", viewTopic, partitions, records,
        (System.nanoTime() - started) / 1_000_000);
    return restored;
  }

  private void add(RestoredViews views, ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      log.warn("skipping a view without a key at {}-{}@{}", record.topic(), record.partition(), record.offset());
      return;
    }
    if (record.value() == null) {
      views.add(record.key(), null);
      return;
    }
    try {
      views.add(record.key(), codec.decodeView(record.value()));
    } catch (UndecodableRecordException e) {
      // Only a newer build writes views this one cannot read. Skipping one may leave that task's view behind until
      // a newer projector or a rebuild writes it, but stopping would leave every task of the partition behind.
      log.error("skipping an unreadable view at {}-{}@{} ({}): {}", record.topic(), record.partition(),
          record.offset(), e.reason(), e.getMessage());
    }
  }
}
