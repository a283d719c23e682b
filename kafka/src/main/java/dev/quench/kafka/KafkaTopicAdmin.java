package dev.quench.kafka;

import dev.quench.events.wire.TopicAdmin;
import dev.quench.events.wire.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** {@link TopicAdmin} on a Kafka {@link Admin} client; the policy itself is {@link TopicAdmin#ensure}. */
public final class KafkaTopicAdmin implements TopicAdmin {

  private final Admin admin;
  private final Duration timeout;

  public KafkaTopicAdmin(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  @Override
  public void createMissing(List<TopicSpec> topics) {
    admin.createTopics(topics.stream()
        .map(t -> new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.configs()))
        .toList()).values().forEach((name, created) -> await(name, created, TopicExistsException.class));
  }

  @Override
  public Map<String, Integer> partitionCounts(Collection<String> names) {
    Map<String, Integer> counts = new HashMap<>();
    admin.describeTopics(names).topicNameValues().forEach((name, described) -> {
      var description = await(name, described, UnknownTopicOrPartitionException.class);
      if (description != null) {
        counts.put(name, description.partitions().size());
      }
    });
    return counts;
  }

  /** The result, or null when the call failed with {@code expected}: what another process or a moment explains. */
  private <T> T await(String topic, KafkaFuture<T> future, Class<? extends Exception> expected) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (expected.isInstance(e.getCause())) {
        return null;
      }
      throw new IllegalStateException("topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Kafka cluster did not answer within " + timeout + " about topic " + topic,
          e);
    }
  }
}
