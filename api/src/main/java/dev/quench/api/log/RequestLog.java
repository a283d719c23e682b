package dev.quench.api.log;

import dev.quench.api.logging.LogContext;
import dev.quench.events.Envelope;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Appends requests to the requests topic. A request is acknowledged to the client only once every in-sync replica
 * has it ({@code acks=all}, idempotent producer), so no acknowledged request is lost. Not transactional on purpose:
 * this hop is on the path that tells a running task to stop, and a transaction would add its commit to it.
 */
public final class RequestLog implements AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final int partitions;
  private final EventCodec codec;

  /**
   * @param producerBase connection settings from Spring Boot
   * @param timeoutMs    the longest an append may take, broker outage included, before it fails
   */
  public RequestLog(Map<String, Object> producerBase, String topic, int partitions, EventCodec codec,
                    int timeoutMs) {
    Map<String, Object> config = new HashMap<>(producerBase);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A cancel should not wait for company: every millisecond here is a millisecond a cancelled task keeps running.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // Waiting for metadata blocks the request thread itself: keep that part short, the rest waits on the future.
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(2000, timeoutMs));
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "quench-api-requests");
    // A request of the largest body the api accepts, in its envelope, must fit (the topics take as much).
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    this.producer = new KafkaProducer<>(config);
    this.topic = topic;
    this.partitions = partitions;
    this.codec = codec;
  }

  /** Completes when the request is durably in the log; fails when it could not be written in time. */
  public CompletableFuture<RecordMetadata> append(Envelope request) {
    // A request thread's lines from here on name the task, also when the request created it.
    LogContext.taskIfAbsent(request.taskId());
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partitionFor(request.taskId(), partitions),
        request.taskId(), codec.encode(request));
    CloudEventHeaders.of(request).forEach((name, value) -> record.headers().add(name, value));
    CompletableFuture<RecordMetadata> appended = new CompletableFuture<>();
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          appended.completeExceptionally(error);
        } else {
          appended.complete(metadata);
        }
      });
    } catch (RuntimeException e) {
      appended.completeExceptionally(e);
    }
    return appended;
  }

  /**
   * The partition of a task: the same as Kafka's default partitioner, named explicitly so every topic of a task is
   * co-partitioned whatever partitioner a client is configured with.
   */
  public static int partitionFor(String taskId, int partitions) {
    return Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public void close() {
    producer.close();
  }
}
