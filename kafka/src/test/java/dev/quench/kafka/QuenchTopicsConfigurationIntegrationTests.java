package dev.quench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.TopicSettings;
import dev.quench.events.wire.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every service's start: missing topics created, existing co-partitioned ones kept, others refused. */
class QuenchTopicsConfigurationIntegrationTests {

  private static Admin admin;

  @BeforeAll
  static void connect() {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()));
  }

  @AfterAll
  static void disconnect() {
    admin.close();
  }

  @Test
  void createsEveryMissingTopicWithTheConfiguredPartitions() throws Exception {
    String prefix = SharedKafkaBroker.uniquePrefix();
    Topics topics = Topics.withPrefix(prefix);

    TopicLayout layout = setup(prefix, 3);

    assertThat(layout.partitions()).isEqualTo(3);

    assertThat(partitionCounts(topics)).containsOnly(
        Map.entry(topics.requests(), 3), Map.entry(topics.log(), 3), Map.entry(topics.view(), 3),
        Map.entry(topics.deadLetter(), 3), Map.entry(topics.capabilities(), 3));
    ConfigResource view = new ConfigResource(ConfigResource.Type.TOPIC, topics.view());
    assertThat(admin.describeConfigs(List.of(view)).all().get().get(view).get("cleanup.policy").value())
        .isEqualTo("compact");
  }

  @Test
  void keepsExistingCoPartitionedTopicsAsTheyAre() throws Exception {
    String prefix = SharedKafkaBroker.uniquePrefix();
    Topics topics = Topics.withPrefix(prefix);
    create(topics.requests(), 2);
    create(topics.log(), 2);

    setup(prefix, 2);
    TopicLayout asked4 = setup(prefix, 4);

    assertThat(asked4.partitions()).isEqualTo(2);

    assertThat(partitionCounts(topics).values()).containsOnly(2);
  }

  @Test
  void refusesTopicsThatAreNotCoPartitioned() throws Exception {
    String prefix = SharedKafkaBroker.uniquePrefix();
    Topics topics = Topics.withPrefix(prefix);
    create(topics.log(), 2);

    assertThatThrownBy(() -> setup(prefix, 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("same number of partitions")
        .hasMessageContaining(topics.log() + "=2")
        .hasMessageContaining(topics.view() + "=3");
    assertThat(partitionCounts(topics).get(topics.log())).isEqualTo(2);
  }

  private static TopicLayout setup(String prefix, int partitions) {
    return new QuenchTopicsConfiguration().topicLayout(admin, new TopicSettings(prefix, partitions, (short) 1));
  }

  private static void create(String topic, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
  }

  private static Map<String, Integer> partitionCounts(Topics topics) throws Exception {
    List<String> names = List.of(topics.requests(), topics.log(), topics.view(), topics.deadLetter(),
        topics.capabilities());
    Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
    Map<String, Integer> counts = new HashMap<>();
    names.forEach(name -> counts.put(name, described.get(name).partitions().size()));
    return counts;
  }
}
