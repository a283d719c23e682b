package dev.quench.projector.topics;

import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import dev.quench.projector.ProjectorProperties;
import dev.quench.projector.TopicsProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Creates the missing topics and refuses to go on unless all four have the same partition count.
 *
 * <p>Runs while the context is built, so it has finished before any lifecycle bean starts consuming, and a
 * mismatch fails startup instead of projecting into the wrong partitions. Partitions are never added: that would
 * move tasks to other partitions and break the per-task order the whole design rests on.
 */
@Component
final class TopicSetup implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private final Map<String, Object> adminConfig;
  private final Topics topics;
  private final TopicsProperties topicsProperties;
  private final Duration timeout;

  /** @param kafkaAdmin Spring Boot's, for its client settings: bootstrap servers, security, service connections */
  TopicSetup(KafkaAdmin kafkaAdmin, Topics topics, TopicsProperties topicsProperties,
             ProjectorProperties projector) {
    Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "quench-projector-setup-" + projector.id());
    this.adminConfig = config;
    this.topics = topics;
    this.topicsProperties = topicsProperties;
    this.timeout = projector.startupTimeout();
  }

  @Override
  public void afterPropertiesSet() {
    Admin admin = Admin.create(adminConfig);
    try {
      List<TopicSpec> specs = TopicSpec.all(topics, topicsProperties.partitions(),
          topicsProperties.replicationFactor());
      createMissing(admin, specs);
      requireCoPartitioned(admin, specs);
    } finally {
      // Bounded: after a timeout above, close() would otherwise wait for the abandoned calls.
      admin.close(Duration.ofSeconds(5));
    }
  }

  private void createMissing(Admin admin, List<TopicSpec> specs) {
    List<NewTopic> wanted = specs.stream()
        .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
        .toList();
    Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
    for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
      try {
        await(result.getValue());
        log.info("created topic {}", result.getKey());
      } catch (ExecutionException e) {
        // Existing is the normal case; another process creating it at the same moment is a race it may win.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(),
              e.getCause());
        }
      }
    }
  }

  private void requireCoPartitioned(Admin admin, List<TopicSpec> specs) {
    Map<String, TopicDescription> described = describe(admin, specs.stream().map(TopicSpec::name).toList());
    Map<String, Integer> partitions = new TreeMap<>();
    described.forEach((name, description) -> partitions.put(name, description.partitions().size()));
    if (partitions.values().stream().distinct().count() > 1) {
      throw new IllegalStateException("quench's topics must all have the same number of partitions, so that a "
          + "task's view lands in the partition of its log partition's number, but they have " + partitions
          + ". Recreate the odd ones with the log's partition count; never add partitions to a keyed topic.");
    }
    int actual = partitions.values().iterator().next();
    if (actual != topicsProperties.partitions()) {
      log.warn("quench.topics.partitions is {} but the existing topics have {} partitions; using {}",
          topicsProperties.partitions(), actual, actual);
    }
    log.info("topics {} are co-partitioned with {} partitions each", partitions.keySet(), actual);
  }

  /** Retries while a topic just created is not known to the broker that answers yet. */
  private Map<String, TopicDescription> describe(Admin admin, List<String> names) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return await(admin.describeTopics(names).allTopicNames());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot describe quench's topics " + names + ": "
              + e.getCause().getMessage(), e.getCause());
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while setting up the topics", e);
      }
    }
  }

  private <T> T await(KafkaFuture<T> future) throws ExecutionException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up the topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Kafka cluster did not answer within " + timeout
          + " while setting up the topics (quench.projector.startup-timeout)", e);
    }
  }
}
