package dev.quench.projector.projection;

import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchView;
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
 * Reads partitions of the batches topic from their beginning to their high watermark into the {@link BatchReport}s a
 * newly owned log partition goes on from. Of each key, the record of the highest log offset counts, as for views: a
 * zombie projector may have written an older one last.
 */
final class BatchRestore {

  private static final Logger log = LoggerFactory.getLogger(BatchRestore.class);

  private final Consumer<String, byte[]> consumer;
  private final EventCodec codec;
  private final String batchesTopic;

  BatchRestore(Consumer<String, byte[]> consumer, EventCodec codec, String batchesTopic) {
    this.consumer = consumer;
    this.codec = codec;
    this.batchesTopic = batchesTopic;
  }

  Map<Integer, BatchReport> restore(Collection<Integer> partitions, BooleanSupplier running) {
    Map<Integer, Map<String, BatchView>> headers = new HashMap<>();
    Map<Integer, Map<String, BatchChunkView>> chunks = new HashMap<>();
    List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(batchesTopic, p)).toList();
    PartitionsToEnd.read(consumer, assigned, running, record -> add(
        headers.computeIfAbsent(record.partition(), p -> new HashMap<>()),
        chunks.computeIfAbsent(record.partition(), p -> new HashMap<>()), record));
    Map<Integer, BatchReport> reports = new HashMap<>();
    for (int partition : partitions) {
      BatchReport report = new BatchReport(partition);
      headers.getOrDefault(partition, Map.of()).values().forEach(report::restore);
      chunks.getOrDefault(partition, Map.of()).values().forEach(report::restore);
      reports.put(partition, report);
    }
    log.info("restored the batch reports of {} partitions {}: {} headers, {} chunks", batchesTopic, partitions,
        headers.values().stream().mapToInt(Map::size).sum(), chunks.values().stream().mapToInt(Map::size).sum());
    return reports;
  }

  private void add(Map<String, BatchView> headers, Map<String, BatchChunkView> chunks,
                   ConsumerRecord<String, byte[]> record) {
    String key = record.key();
    if (key == null) {
      return;
    }
    if (record.value() == null) {
      headers.remove(key);
      chunks.remove(key);
      return;
    }
    try {
      if (EventCodec.isChunkKey(key)) {
        BatchChunkView view = codec.decodeChunkView(record.value());
        chunks.merge(key, view, (known, next) -> next.logOffset() >= known.logOffset() ? next : known);
      } else {
        BatchView view = codec.decodeBatchView(record.value());
        headers.merge(key, view, (known, next) -> next.logOffset() >= known.logOffset() ? next : known);
      }
    } catch (UndecodableRecordException e) {
      log.error("skipping an unreadable batch record at {}-{}@{} ({}): {}", record.topic(), record.partition(),
          record.offset(), e.reason(), e.getMessage());
    }
  }
}
