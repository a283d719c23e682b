package dev.quench.events.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSettingsTests {

  @Test
  void unsetSettingsMeanBareNamesSixPartitionsAndOneReplica() {
    TopicSettings defaults = new TopicSettings(null, null, null);

    assertThat(defaults.topics()).isEqualTo(Topics.defaults());
    assertThat(defaults.specs()).allSatisfy(spec -> {
      assertThat(spec.partitions()).isEqualTo(6);
      assertThat(spec.replicationFactor()).isEqualTo((short) 1);
    });
  }

  @Test
  void aTopicNeedsAtLeastOnePartitionAndReplica() {
    assertThatThrownBy(() -> new TopicSettings("", 0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TopicSettings("", 1, (short) 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLogIsKeptForeverAndTheViewIsCompacted() {
    Map<String, TopicSpec> specs = new HashMap<>();
    new TopicSettings("p.", 3, (short) 3).specs().forEach(s -> specs.put(s.name(), s));

    assertThat(specs.get("p.tasks.log").configs()).containsEntry("retention.ms", "-1")
        .containsEntry("min.insync.replicas", "2");
    assertThat(specs.get("p.tasks.view").configs()).containsEntry("cleanup.policy", "compact");
    assertThat(specs.get("p.tasks.batches").configs()).containsEntry("cleanup.policy", "compact");
  }

  @Test
  void capabilityAnnouncementsAreCompactedAndCoPartitionedWithTheRest() {
    List<TopicSpec> specs = new TopicSettings("p.", 3, (short) 1).specs();

    assertThat(specs).filteredOn(s -> s.name().equals("p.tasks.capabilities")).singleElement()
        .satisfies(s -> {
          assertThat(s.configs()).containsEntry("cleanup.policy", "compact");
          assertThat(s.partitions()).isEqualTo(3);
        });
  }

  /** A cluster in memory that is slow to show what it created, as a real one can be. */
  private static final class SlowCluster implements TopicAdmin {
    final Map<String, Integer> topics = new HashMap<>();
    int describesBeforeVisible = 2;

    @Override
    public void createMissing(List<TopicSpec> specs) {
      specs.forEach(s -> topics.putIfAbsent(s.name(), s.partitions()));
    }

    @Override
    public Map<String, Integer> partitionCounts(Collection<String> names) {
      return describesBeforeVisible-- > 0 ? Map.of() : Map.copyOf(topics);
    }
  }

  @Test
  void ensureWaitsForTopicsJustCreatedAndAnswersTheirPartitionCount() {
    SlowCluster cluster = new SlowCluster();

    List<TopicSpec> specs = new TopicSettings("", 4, null).specs();
    int partitions = TopicAdmin.ensure(cluster, specs, Duration.ofSeconds(5));

    assertThat(partitions).isEqualTo(4);
    assertThat(cluster.topics).hasSameSizeAs(specs);
  }

  @Test
  void ensureKeepsExistingTopicsAndAnswersWhatTheyHave() {
    SlowCluster cluster = new SlowCluster();
    cluster.describesBeforeVisible = 0;
    new TopicSettings("", 12, null).specs().forEach(s -> cluster.topics.put(s.name(), 12));

    assertThat(TopicAdmin.ensure(cluster, new TopicSettings("", 6, null).specs(), Duration.ofSeconds(5)))
        .isEqualTo(12);
  }

  @Test
  void ensureRefusesTopicsThatAreNotCoPartitioned() {
    SlowCluster cluster = new SlowCluster();
    cluster.describesBeforeVisible = 0;
    cluster.topics.put("tasks.log", 2);

    assertThatThrownBy(() -> TopicAdmin.ensure(cluster, new TopicSettings("", 3, null).specs(),
        Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("same number of partitions").hasMessageContaining("tasks.log=2");
  }
}
