package dev.quench.worker.ownership;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's Kafka clients, on top of the connection settings Spring Boot resolved ({@code spring.kafka.*}),
 * with the settings the ownership model depends on forced: those are not tuning knobs.
 */
final class WorkerClients {

  private final Map<String, Object> consumerBase;
  private final Map<String, Object> producerBase;
  private final Admin admin;
  private final String workerId;
  private final Topics topics;
  private final Duration transactionTimeout;

  WorkerClients(Map<String, Object> consumerBase, Map<String, Object> producerBase, Admin admin, String workerId,
                Topics topics, Duration transactionTimeout) {
    this.consumerBase = Map.copyOf(consumerBase);
    this.producerBase = Map.copyOf(producerBase);
    this.admin = admin;
    this.workerId = workerId;
    this.topics = topics;
    this.transactionTimeout = transactionTimeout;
  }

  /** The group member that owns partitions of the requests topic. */
  Consumer<String, byte[]> groupConsumer() {
    Map<String, Object> config = consumerConfig();
    // One group per deployment: deployments sharing a cluster (a topic prefix each) must not rebalance each other.
    // Cooperative, as every group: a member joining or leaving does not stop the tasks running on the others.
    KafkaClients.groupMember(config, group(), "quench-worker-" + workerId);
    return new KafkaConsumer<>(config);
  }

  /** Reads the requests topic without a group, for the cancel watch: every record as soon as it is there. */
  Consumer<String, byte[]> cancelWatchConsumer() {
    Map<String, Object> config = consumerConfig();
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "quench-worker-" + workerId + "-cancels");
    // Requests are written without transactions: nothing to wait for.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new KafkaConsumer<>(config);
  }

  /** Reads a log partition from its start, without a group. */
  LogRestore logRestore(EventCodec codec) {
    return new LogRestore(() -> {
      Map<String, Object> config = consumerConfig();
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, "quench-worker-" + workerId + "-restore");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
      config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
      return new KafkaConsumer<>(config);
    }, admin, codec, topics.log());
  }

  /**
   * One transactional producer per worker instance. Its id is stable across restarts of the instance, so a
   * restarted worker aborts what its previous life left open instead of holding back every read_committed reader
   * until the transaction times out.
   */
  Producer<String, byte[]> transactionalProducer() {
    Map<String, Object> config = new HashMap<>(producerBase);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // Prefixed like the group: deployments sharing a cluster must not fence each other's workers of the same id.
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "quench-worker-" + workerId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "quench-worker-" + workerId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
    // Each turn commits at once; waiting to fill a batch would only delay the commit.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    // A transaction begun right after the last one's commit is refused (CONCURRENT_TRANSACTIONS) until the
    // coordinator has written that commit's markers, and retried after this backoff: Kafka's 100 ms default made it
    // most of every turn's latency. Overridable through spring.kafka.producer.properties.
    config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
    return new KafkaProducer<>(config);
  }

  String group() {
    return topics.prefix() + "quench-worker";
  }

  /** The requests topic's end offsets now: where a newly owned partition's inbox ends. */
  Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading end offsets", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the end offsets of " + partitions, e);
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    // A lost worker's partitions, and the cancels waiting on them, move after 10 s rather than Kafka's default 45 s;
    // members learn of a rebalance within a second. Overridable through spring.kafka.consumer.properties.*.
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    config.putAll(consumerBase);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }
}
