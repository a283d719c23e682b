package dev.quench.projector.projection;

import dev.quench.events.wire.TopicSettings;
import dev.quench.events.wire.TopicSpec;
import dev.quench.projector.ProjectorProperties;
import dev.quench.kafka.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes the projector's Kafka clients. Connection and security settings come from Spring Boot's auto-configured
 * factories, so {@code spring.kafka.*} and service connections (Testcontainers, say) apply; what the projection's
 * correctness depends on is set here and wins.
 */
@Component
final class ProjectorClients {

  private final Map<String, Object> consumerBase;
  private final Map<String, Object> producerBase;
  private final String clientId;
  private final String groupId;

  ProjectorClients(ConsumerFactory<?, ?> consumerFactory, ProducerFactory<?, ?> producerFactory,
                   ProjectorProperties projector, TopicSettings topics) {
    this.consumerBase = new HashMap<>(consumerFactory.getConfigurationProperties());
    this.producerBase = new HashMap<>(producerFactory.getConfigurationProperties());
    this.clientId = "quench-projector-" + projector.id();
    this.groupId = projector.groupIdFor(topics.prefix());
  }

  String groupId() {
    return groupId;
  }

  /** Reads the log in the projector group. */
  Consumer<byte[], byte[]> logConsumer() {
    Map<String, Object> config = new HashMap<>();
    // A lost projector's partitions move after 10 s rather than Kafka's default 45 s, members learn of a rebalance
    // within a second: views are on the path of every answer. Overridable through spring.kafka.consumer.*.
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    config.putAll(consumerBase);
    // read_committed among them: an aborted decision (a fenced zombie's) must never become a view.
    KafkaClients.groupMember(config, groupId, clientId);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Reads view partitions by hand, to restore them. */
  Consumer<String, byte[]> viewConsumer() {
    Map<String, Object> config = new HashMap<>(consumerBase);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-restore");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The view topic has no transactions; its end offset is then the high watermark.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads the log without a group, for a rebuild: committed records only ({@code committed}), or every record, for
   * the high watermark.
   */
  Consumer<byte[], byte[]> rebuildConsumer(boolean committed) {
    Map<String, Object> config = new HashMap<>(consumerBase);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-rebuild");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    // A partition's last fetch may bring only a transaction marker: don't let it wait the default half second.
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Writes a rebuild's views: hundreds of thousands at once, where batching them matters more than sending each the
   * moment it is ready.
   */
  Producer<byte[], byte[]> rebuildProducer() {
    Map<String, Object> config = new HashMap<>(producerBase);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-rebuild");
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Writes views and dead letters. */
  Producer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(producerBase);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // No transaction: a view carries the log offset it reflects, so writing it twice is harmless.
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // The view hop is on the latency path of every cancel: send at once.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
