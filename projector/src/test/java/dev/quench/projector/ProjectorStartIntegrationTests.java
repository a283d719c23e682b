package dev.quench.projector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class ProjectorStartIntegrationTests {

  /** Every view must land in the view partition of its log partition's number: the start fails before any fold. */
  @Test
  void aProjectorDoesNotStartOnTopicsThatAreNotCoPartitioned() throws Exception {
    String prefix = SharedKafkaBroker.uniquePrefix();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        SharedKafkaBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(Topics.withPrefix(prefix).view(), Projectors.PARTITIONS + 1,
          (short) 1))).all().get();
    }

    assertThatThrownBy(() -> Projectors.start(prefix)).hasStackTraceContaining("same number of partitions");
  }
}
