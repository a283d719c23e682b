package dev.quench.projector;

import dev.quench.events.Envelope;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends to the log the way a worker does: in Kafka transactions, keyed by task id, with CloudEvents headers. It
 * remembers where its committed writes end, so a test can wait until a projector group has consumed all of them.
 */
final class LogWriter implements AutoCloseable {

  private final String topic;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;
  private final EventCodec codec = new EventCodec();
  private final Map<TopicPartition, Long> committedEnds = new HashMap<>();

  LogWriter(String topic) {
    this.topic = topic;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-worker-" + UUID.randomUUID(),
        ProducerConfig.LINGER_MS_CONFIG, 0),
        new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        SharedKafkaBroker.bootstrapServers()));
  }

  /** Appends the events in one committed transaction; their positions, in order. */
  synchronized List<RecordMetadata> commit(List<Envelope> events) {
    producer.beginTransaction();
    List<RecordMetadata> written = send(events.stream().map(this::record).toList());
    producer.commitTransaction();
    written.forEach(this::committed);
    return written;
  }

  /** Appends the events into {@code partition}, in one committed transaction, as an owner does with a batch's records. */
  synchronized List<RecordMetadata> commit(int partition, List<Envelope> events) {
    producer.beginTransaction();
    List<RecordMetadata> written = send(events.stream().map(e -> {
      ProducerRecord<String, byte[]> keyed = record(e);
      return new ProducerRecord<>(topic, partition, keyed.key(), keyed.value(), keyed.headers());
    }).toList());
    producer.commitTransaction();
    written.forEach(this::committed);
    return written;
  }

  /** Appends the events in a transaction that is then aborted; their positions, which no reader may see. */
  synchronized List<RecordMetadata> abort(List<Envelope> events) {
    producer.beginTransaction();
    List<RecordMetadata> written = send(events.stream().map(this::record).toList());
    producer.abortTransaction();
    return written;
  }

  /** Appends any bytes in a committed transaction, as a buggy or newer writer might. */
  synchronized RecordMetadata commitRaw(String key, byte[] value, Header... headers) {
    producer.beginTransaction();
    RecordMetadata written = send(List.of(new ProducerRecord<>(topic, null, key, value,
        new RecordHeaders(headers)))).get(0);
    producer.commitTransaction();
    committed(written);
    return written;
  }

  /** Whether {@code group} has committed offsets past every record this writer committed. */
  boolean consumedBy(String group) throws ExecutionException, InterruptedException {
    Map<TopicPartition, Long> ends;
    synchronized (this) {
      ends = Map.copyOf(committedEnds);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return ends.entrySet().stream().allMatch(end -> offsets.get(end.getKey()) != null
        && offsets.get(end.getKey()).offset() >= end.getValue());
  }

  private ProducerRecord<String, byte[]> record(Envelope e) {
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(e).forEach(headers::add);
    return new ProducerRecord<>(topic, null, e.taskId(), codec.encode(e), headers);
  }

  private List<RecordMetadata> send(List<ProducerRecord<String, byte[]>> records) {
    List<Future<RecordMetadata>> sends = records.stream().map(producer::send).toList();
    producer.flush();
    List<RecordMetadata> written = new ArrayList<>();
    try {
      for (Future<RecordMetadata> send : sends) {
        written.add(send.get());
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("a test write to the log failed", e);
    }
    return written;
  }

  private void committed(RecordMetadata written) {
    committedEnds.merge(new TopicPartition(written.topic(), written.partition()), written.offset() + 1, Math::max);
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
