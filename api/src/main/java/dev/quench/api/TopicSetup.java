package dev.quench.api;

import dev.quench.events.wire.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates quench's topics when missing and refuses to run on topics that are not co-partitioned. It never adds
 * partitions: that would move tasks to other partitions and break their order.
 */
final class TopicSetup {

  private TopicSetup() {
  }

  static void ensure(Admin admin, List<TopicSpec> specs) {
    List<NewTopic> topics = specs.stream()
        .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
        .toList();
    try {
      admin.createTopics(topics).values().forEach((name, created) -> {
        try {
          created.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + name, e.getCause());
          }
        } catch (InterruptedException | TimeoutException e) {
          throw new IllegalStateException("cannot create topic " + name, e);
        }
      });
      Map<String, TopicDescription> found = describe(admin, specs);
      Map<String, Integer> counts = found.values().stream()
          .collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
      if (counts.values().stream().distinct().count() != 1) {
        throw new IllegalStateException("quench's topics must have the same number of partitions, found " + counts
            + ": tasks would not be co-partitioned");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    }
  }

  /** Describes the topics, waiting out the moment a just-created topic is not yet known to every broker. */
  private static Map<String, TopicDescription> describe(Admin admin, List<TopicSpec> specs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeTopics(specs.stream().map(TopicSpec::name).toList())
            .allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        boolean unknownYet = e.getCause() instanceof UnknownTopicOrPartitionException;
        if (!unknownYet || System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot describe quench's topics", e);
        }
        Thread.sleep(100);
      }
    }
  }
}
