package dev.quench.callbacks.delivery;

import dev.quench.events.Envelope;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a delivery loop writes its attempts: each one event keyed by its task, in the task's own partition of the
 * log, all of one record in one transaction with the group's offsets, so a deliverer that lost its partitions (an
 * older generation) has the whole transaction refused.
 */
final class AttemptLog {

  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec;
  private final String logTopic;

  AttemptLog(Producer<byte[], byte[]> producer, EventCodec codec, String logTopic) {
    this.producer = producer;
    this.codec = codec;
    this.logTopic = logTopic;
  }

  /** Fences this producer's predecessors under the same transactional id; once, before the first write. */
  void init() {
    producer.initTransactions();
  }

  /** Writes {@code records}, the i-th to partition {@code partitions.get(i)}, with {@code offsets}, and commits. */
  void write(List<Envelope> records, List<Integer> partitions, Map<TopicPartition, OffsetAndMetadata> offsets,
             ConsumerGroupMetadata group) {
    producer.beginTransaction();
    for (int i = 0; i < records.size(); i++) {
      Envelope e = records.get(i);
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(logTopic, partitions.get(i),
          e.taskId().getBytes(StandardCharsets.UTF_8), codec.encode(e));
      CloudEventHeaders.of(e).forEach((name, value) -> record.headers().add(name, value));
      producer.send(record);
    }
    producer.sendOffsetsToTransaction(offsets, group);
    producer.commitTransaction();
  }

  void close(Duration timeout) {
    producer.close(timeout);
  }
}
