package dev.quench.callbacks.delivery;

import dev.quench.callbacks.CallbacksProperties;
import dev.quench.events.wire.TopicSettings;
import dev.quench.events.wire.TopicSpec;
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
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes the deliverer's Kafka clients. Connection and security settings come from Spring Boot's factories
 * ({@code spring.kafka.*}); what delivery's correctness depends on is set here and wins.
 */
@Component
final class DeliveryClients {

  private final Map<String, Object> consumerBase;
  private final Map<String, Object> producerBase;
  private final String clientId;
  private final String groupId;
  private final String transactionalId;

  DeliveryClients(ConsumerFactory<?, ?> consumerFactory, ProducerFactory<?, ?> producerFactory,
                  CallbacksProperties callbacks, TopicSettings topics) {
    this.consumerBase = new HashMap<>(consumerFactory.getConfigurationProperties());
    this.producerBase = new HashMap<>(producerFactory.getConfigurationProperties());
    this.clientId = "quench-callbacks-" + callbacks.id();
    this.groupId = callbacks.groupIdFor(topics.prefix());
    // Stable across this instance's restarts and unique to it: a restart fences its own predecessor at once.
    this.transactionalId = topics.prefix() + "quench-callbacks-" + callbacks.id();
  }

  String groupId() {
    return groupId;
  }

  /** Reads the log in the deliverers' group: committed records only, as every reader of the log does. */
  Consumer<byte[], byte[]> logConsumer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    config.putAll(consumerBase);
    KafkaClients.groupMember(config, groupId, clientId);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Writes attempts to the log, in transactions fenced by the group's generation. */
  Producer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(producerBase);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // Every read_committed reader of a partition waits behind an open transaction: a crashed deliverer's must not
    // hold the log back for Kafka's default minute.
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
