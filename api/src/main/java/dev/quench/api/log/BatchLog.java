package dev.quench.api.log;

import dev.quench.events.Envelope;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.TopicSpec;
import dev.quench.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends a cancellation batch's records to the requests topic in one Kafka transaction: every reader (the workers,
 * the api replicas, all {@code read_committed}) sees the whole batch or none of it, so no partition hands on targets
 * of a batch another partition never heard of. Single cancels stay on {@link RequestLog}: a transaction would add its
 * commit to the path that tells a running task to stop.
 *
 * <p>The transactional id is this instance's and stable across its restarts, so a restarted api aborts a batch its
 * previous life left half written, and the transaction timeout is short, so a crashed one holds back readers of
 * those partitions for seconds at most. One batch at a time per instance; a failed producer is replaced.
 */
public final class BatchLog implements AutoCloseable {

  /** A record and the partition it goes to: a chunk goes to its targets' partition, whatever its key. */
  public record Placed(int partition, Envelope event) {
  }

  private final Map<String, Object> config;
  private final String topic;
  private final EventCodec codec;
  private Producer<String, byte[]> producer;

  public BatchLog(Map<String, Object> producerBase, String topic, String transactionalId, EventCodec codec,
                  Duration timeout) {
    Map<String, Object> config = new HashMap<>(producerBase);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    // The whole batch is sent before the commit: nothing is gained by waiting for company.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    this.config = config;
    this.topic = topic;
    this.codec = codec;
  }

  /**
   * Appends the records, in order, in one transaction; returns once it committed.
   *
   * @throws KafkaException if it could not be committed: nothing of it is visible to any reader
   */
  public synchronized void append(List<Placed> records) {
    Producer<String, byte[]> current = producer();
    try {
      current.beginTransaction();
      for (Placed placed : records) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, placed.partition(),
            placed.event().taskId(), codec.encode(placed.event()));
        CloudEventHeaders.of(placed.event()).forEach((name, value) -> record.headers().add(name, value));
        current.send(record);
      }
      current.commitTransaction();
    } catch (KafkaException e) {
      // Aborted or not, the next batch starts on a new producer, whose start aborts whatever this one left open.
      KafkaClients.closeQuietly(current, Duration.ofSeconds(5));
      producer = null;
      throw e;
    }
  }

  private Producer<String, byte[]> producer() {
    if (producer == null) {
      Producer<String, byte[]> fresh = new KafkaProducer<>(config);
      try {
        fresh.initTransactions();
      } catch (KafkaException e) {
        KafkaClients.closeQuietly(fresh, Duration.ofSeconds(5));
        throw e;
      }
      producer = fresh;
    }
    return producer;
  }

  @Override
  public synchronized void close() {
    KafkaClients.closeQuietly(producer, Duration.ofSeconds(5));
    producer = null;
  }
}
