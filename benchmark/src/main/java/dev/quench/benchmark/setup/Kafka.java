package dev.quench.benchmark.setup;

import dev.quench.events.wire.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The run's broker, as the benchmark's own code uses it: topics of its own, end offsets, waiting for quiet. */
public final class Kafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Kafka.class);
  private static final long TIMEOUT_SECONDS = 60;

  private final String bootstrapServers;
  private final Admin admin;

  public Kafka(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin"));
  }

  /**
   * A producer's settings for writing synthetic data in bulk: large batches, a short linger, a large buffer, records as
   * large as quench's topics take. Idempotent, acknowledged by all replicas, like every writer of quench's topics.
   */
  public Map<String, Object> bulkProducerConfig(String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    return config;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Creates quench's topics with these specs (for a fixture under a prefix of its own). */
  public void create(List<TopicSpec> specs) {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      topics.add(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()));
    }
    createAll(topics);
  }

  /** Plain topics, for the raw relay. */
  public void create(List<String> names, int partitions) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, partitions, (short) 1));
    }
    createAll(topics);
  }

  public List<TopicPartition> partitions(String topic) {
    try {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
      return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The end offsets (high watermarks) of every partition of these topics. */
  public Map<TopicPartition, Long> endOffsets(List<String> topics) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : topics) {
      partitions(topic).forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    }
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the end offsets of " + topics, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public long records(List<String> topics) {
    return endOffsets(topics).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits until nothing is written to these topics for {@code stable}: whatever the pipeline had to do after a burst
   * of requests, it has done. At most {@code timeout}; says so if it gave up.
   */
  public boolean awaitQuiet(List<String> topics, Duration stable, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> last = endOffsets(topics);
    long since = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      Thread.sleep(Math.min(250, stable.toMillis()));
      Map<TopicPartition, Long> now = endOffsets(topics);
      if (!now.equals(last)) {
        last = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since >= stable.toNanos()) {
        return true;
      }
    }
    log.warn("{} were still being written after {}", topics, timeout);
    return false;
  }

  private void createAll(List<NewTopic> topics) {
    try {
      admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create " + topics, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    awaitLeaders(topics.stream().map(NewTopic::name).toList());
  }

  /**
   * Waits until every partition's leader serves it. Metadata names the leader before it has the partition, and an
   * idempotent producer whose first batches bounce off it can retry out of order for good.
   */
  private void awaitLeaders(List<String> topics) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        endOffsets(topics);
        return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        log.debug("{} not served yet: {}", topics, e.getMessage());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
